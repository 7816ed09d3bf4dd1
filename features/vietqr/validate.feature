@wallet
Feature: VietQR wallet: deciding whether a NAPAS code may be paid
  A wallet app scans a VietQR code (NAPAS, Vietnam) and must decide, before it shows a payment
  screen, whether the code is well formed. Transfer codes (38/02 QRIBFTTA, QRIBFTTC) carry no
  merchant category, name or city (52, 59, 60) and are paid every day: they must be accepted; a
  merchant payment (QRPUSH) or ATM code (QRCASH) must carry them. Live readers fail elsewhere:
  they read '50.000' as fifty instead of fifty thousand dong, take a flat or truncated 38/01 and
  pay a shortened account, accept a second copy of the payee template, or count the bytes of a
  Vietnamese purpose and swallow the CRC. Every vector below is graded on its own: a well-formed
  code must be accepted; a code that breaks a MUST rule must be rejected, and the rejection should
  name the broken rule (a right rejection for the wrong reason is graded NON_STRICT).

  Background:
    Given the implementation under test

  Scenario: Well-formed VietQR codes are accepted
    When it validates every "vietqr" vector tagged "positive"
    Then every vector gets its expected result

  Scenario: VietQR codes that break the rules are rejected, naming the broken rule
    When it validates every "vietqr" vector tagged "not positive"
    Then every vector gets its expected result
