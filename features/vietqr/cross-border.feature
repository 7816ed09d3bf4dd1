@cross-border
Feature: A Japanese wallet pays at a Vietnamese merchant
  After Cambodia, Japan seeks QR interoperability with Vietnam. A JPQR wallet meets a VietQR
  code: an account template it does not know (38 with GUID A000000727 and the nested 38/01 bank
  BIN and account), dong (704) with no minor unit, no merchant name on transfers, Vietnamese text
  in the purpose (62/08) and the name (64). It must accept well-formed VietQR codes as foreign
  codes, read their fields exactly (one template level deeper than JPQR's), and still refuse codes
  that break the cross-border rules: a decimal point in a VND amount, non-ASCII in 62/08.

  Background:
    Given the implementation under test

  Scenario: The wallet judges VietQR codes under the cross-border rules
    When a JPQR wallet validates every "interop" vector tagged "vnqr-in-jpqr"
    Then every vector gets its expected result

  Scenario: The wallet reads the fields of VietQR codes
    When a JPQR wallet parses every "interop" vector tagged "vnqr-in-jpqr"
    Then every vector gets its expected result
