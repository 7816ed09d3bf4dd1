@wallet
Feature: Thai QR wallet: reading the fields of a merchant code
  Before paying, a wallet shows the merchant's name, city, amount and currency from the code.
  It must decode every data object of a Thai QR Payment code (PromptPay, Bank of Thailand) exactly as written: lengths
  counted in the profile's unit, templates (merchant account, additional data, language) opened
  into their sub-fields, nothing dropped, nothing invented.

  Background:
    Given the implementation under test

  Scenario: Every data object is decoded exactly
    When it parses every "thaiqr" vector
    Then every vector gets its expected result
