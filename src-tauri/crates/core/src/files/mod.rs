//! Writing files: where a command may write ([`destination`]), and writing a
//! file whole or not at all.

pub mod atomic;
pub mod csv_safe;
pub mod destination;
pub mod fsutil;
pub mod simple;

pub use simple::write_atomically as write_file;
pub use simple::write_atomically_as as write_file_as;
