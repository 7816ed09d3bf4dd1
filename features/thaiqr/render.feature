@merchant
Feature: Thai QR merchant system: printing the QR symbol
  The payload becomes a printed sticker or a screen image. qrcert decodes and inspects every image:
  it must carry exactly the payload, in byte mode only (EMVCo §4.12.1.1), with ECI 26 (UTF-8) when
  the payload has characters outside ASCII, a quiet zone of at least 4 modules and enough error
  correction. An encoder left on automatic segmentation puts Khmer or Japanese text into Kanji mode,
  and foreign wallets then read garbage.

  Background:
    Given the implementation under test

  Scenario: Rendered symbols carry the payload the way EMVCo requires
    When it renders every "thaiqr" vector
    Then every vector gets its expected result
