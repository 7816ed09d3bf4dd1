//! qrcert: a conformance test and certification harness for QR-code payments
//! (EMVCo Merchant-Presented Mode and its national profiles JPQR and KHQR).
//!
//! Data flows one way: vectors -> runner -> adapter -> verdicts -> report.
