//! PTX front end: parser (nom) → [`ir::Module`], and a printer back to text.
//!
//! The parser accepts the PTX that nvcc 12.x/13.x emits; errors carry line and column so the
//! driver can put them in the JIT error log.

pub mod ir;
pub mod name;
pub mod parse;
pub mod print;

pub use ir::*;
pub use parse::{parse, ParseError};
pub use print::print;
