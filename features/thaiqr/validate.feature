@wallet
Feature: Thai QR wallet: deciding whether a PromptPay code may be paid
  A wallet app scans a Thai QR Payment code (PromptPay, Bank of Thailand) and must decide, before
  it shows a payment screen, whether the code is well formed. Personal PromptPay codes carry no
  merchant category, name or city (52, 59, 60) and are paid every day: they must be accepted.
  Live readers fail elsewhere: they read '1,000.00' as 1, accept a mobile proxy that is not
  '0066' and nine digits, a CRC that lost its leading zero, a second copy of the payee template,
  or reject every code with Thai text because their CRC hashes UTF-16 code units. Every vector
  below is graded on its own: a well-formed code must be accepted; a code that breaks a MUST rule
  must be rejected, and the rejection should name the broken rule (a right rejection for the
  wrong reason is graded NON_STRICT).

  Background:
    Given the implementation under test

  Scenario: Well-formed Thai QR codes are accepted
    When it validates every "thaiqr" vector tagged "positive"
    Then every vector gets its expected result

  Scenario: Thai QR codes that break the rules are rejected, naming the broken rule
    When it validates every "thaiqr" vector tagged "not positive"
    Then every vector gets its expected result
