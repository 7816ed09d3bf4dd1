@cross-border
Feature: A Japanese wallet pays at a Cambodian KHQR merchant
  Under the METI-NBC memorandum of December 2023, a JPQR wallet must pay at a KHQR sticker. The
  wallet meets a code of a scheme it was not built for: account in template 29 or 30 instead of 26,
  riel (116) or US dollars (840) instead of yen, a Khmer merchant name in template 64, a KHQR
  expiry timestamp in template 99, lengths counted by the KHQR SDK in UTF-16 units. It must accept
  well-formed KHQR codes as foreign codes, not reject them as broken JPQR, read the amount, the
  currency, the merchant name and the city correctly, honour the KHQR expiry against its clock, and
  still refuse codes that break the cross-border rules.

  Background:
    Given the implementation under test

  Scenario: The wallet judges KHQR codes under the cross-border rules
    When a JPQR wallet validates every "interop" vector tagged "khqr-in-jpqr"
    Then every vector gets its expected result

  Scenario: The wallet reads amount, currency, merchant name and city from KHQR codes
    When a JPQR wallet parses every "interop" vector tagged "khqr-in-jpqr"
    Then every vector gets its expected result

  Scenario: A KHQR merchant system's codes pass the Japanese wallet's cross-border checks
    When a KHQR merchant system generates every "interop" vector tagged "khqr-merchant"
    Then every vector gets its expected result

  Scenario: A code of neither scheme is not taken for a foreign scheme's code
    When a JPQR wallet validates every "interop" vector tagged "not khqr-in-jpqr and not jpqr-in-khqr and not foreign-code"
    Then every vector gets its expected result
