@wallet
Feature: Thai QR wallet: scanning the printed symbol
  A wallet reads a Thai QR Payment code (PromptPay, Bank of Thailand) from a camera image. It must return exactly the
  payload, bytes as UTF-8 (never Latin-1 or Shift_JIS), and must never return a payload it read
  earlier when the current image cannot be read.

  Background:
    Given the implementation under test

  Scenario: The distortion ladder: small prints, angles, blur, noise, fading, glare, inverted and cropped stickers, compression
    Rungs up to the level the profile requires must be read; above it a miss is reported (INFO).
    A wrong payload fails at every rung.
    When it scans every "thaiqr" vector tagged "ladder"
    Then every vector gets its expected result

  Scenario: A frame that cannot be read never yields the previous frame's payload
    When it scans every "thaiqr" vector tagged "sequence"
    Then every vector gets its expected result

  Scenario: Golden images are read back exactly
    When it scans every "thaiqr" vector
    Then every vector gets its expected result
