@merchant
Feature: Thai QR merchant system: generating payment codes
  A merchant system or payment service provider turns merchant data (the neutral schema of
  vectors/README.md) into a Thai QR Payment code (PromptPay, Bank of Thailand). The code must be exactly the canonical
  payload where the vector gives one, must pass every MUST rule as generator output, and input
  that cannot be encoded must be refused rather than turned into a broken code.

  Background:
    Given the implementation under test

  Scenario: Merchant data becomes a conforming code
    When it generates every "thaiqr" vector
    Then every vector gets its expected result
