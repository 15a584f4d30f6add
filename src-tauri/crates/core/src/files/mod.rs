//! Writing files: where a command may write ([`destination`]), and writing a
//! file whole or not at all ([`atomic`], the one writer).

pub mod atomic;
pub mod csv_safe;
pub mod destination;
