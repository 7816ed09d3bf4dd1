@wallet
Feature: KHQR wallet: scanning the printed symbol
  A wallet reads a KHQR code (Cambodia's Bakong code, National Bank of Cambodia) from a camera image. It must return exactly the
  payload, bytes as UTF-8 (never Latin-1 or Shift_JIS), and must never return a payload it read
  earlier when the current image cannot be read.

  Background:
    Given the implementation under test

  Scenario: Golden images are read back exactly
    When it scans every "khqr" vector
    Then every vector gets its expected result
