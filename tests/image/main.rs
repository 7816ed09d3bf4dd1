//! Integration tests of the `image` module: real renders through the real rqrr decoder and
//! qrcert's own inspection.

mod bad_input;
mod fixtures;
mod fuzz;
mod ladder;
mod round_trip;
