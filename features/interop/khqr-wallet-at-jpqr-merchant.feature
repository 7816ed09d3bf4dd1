@cross-border
Feature: A Cambodian wallet pays at a Japanese JPQR merchant
  Bakong users pay at JPQR merchants (first planned around the Osaka-Kansai Expo, 2025). The KHQR
  wallet meets the JPQR merchant template 26 with GUID jp.or.paymentsjapan, yen amounts without
  decimals, a mandatory postal code, and a Japanese merchant name in template 64 whose UTF-8 bytes
  are three times its character count. It must accept well-formed JPQR codes as foreign codes, read
  them correctly, and refuse codes that break the cross-border rules.

  Background:
    Given the implementation under test

  Scenario: The wallet judges JPQR codes under the cross-border rules
    When a KHQR wallet validates every "interop" vector tagged "jpqr-in-khqr"
    Then every vector gets its expected result

  Scenario: The wallet reads amount, currency, merchant name and city from JPQR codes
    When a KHQR wallet parses every "interop" vector tagged "jpqr-in-khqr"
    Then every vector gets its expected result

  Scenario: A JPQR merchant system's codes pass the Cambodian wallet's cross-border checks
    When a JPQR merchant system generates every "interop" vector tagged "jpqr-merchant"
    Then every vector gets its expected result
