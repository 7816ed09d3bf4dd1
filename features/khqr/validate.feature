@wallet
Feature: KHQR wallet: deciding whether a merchant code may be paid
  A wallet app scans a KHQR code (Cambodia's Bakong code, National Bank of Cambodia) printed at a merchant and must decide, before it
  shows a payment screen, whether the code is well formed. Live wallets fail here most often:
  they accept a CRC of 0000 or an empty CRC, names over 25 characters, amounts like "10.5" in a
  currency without cents, a second copy of a tag that names another payee. Every vector below is
  graded on its own: a well-formed code must be accepted; a code that breaks a MUST rule must be
  rejected, and the rejection should name the broken rule (a right rejection for the wrong reason
  is graded NON_STRICT).

  Background:
    Given the implementation under test

  Scenario: Well-formed KHQR codes are accepted
    When it validates every "khqr" vector tagged "positive"
    Then every vector gets its expected result

  Scenario: KHQR codes that break the rules are rejected, naming the broken rule
    When it validates every "khqr" vector tagged "not positive"
    Then every vector gets its expected result
