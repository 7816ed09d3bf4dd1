@cross-border
Feature: A Japanese wallet pays at a Thai merchant
  Japan seeks QR interoperability with Thailand after Cambodia. A JPQR wallet meets a Thai QR
  Payment code: an account template it does not know (29 or 30 with an AID under A000000677, a
  proxy instead of a store ID), baht (764) with two decimals, no merchant name on personal
  PromptPay codes, and the Thai name in template 64. It must accept well-formed Thai codes as
  foreign codes, not reject them as broken JPQR, read their fields exactly, and still refuse codes
  that break the cross-border rules.

  Background:
    Given the implementation under test

  Scenario: The wallet judges Thai codes under the cross-border rules
    When a JPQR wallet validates every "interop" vector tagged "thqr-in-jpqr"
    Then every vector gets its expected result

  Scenario: The wallet reads the fields of Thai codes
    When a JPQR wallet parses every "interop" vector tagged "thqr-in-jpqr"
    Then every vector gets its expected result
