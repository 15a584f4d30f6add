//! Encryption streams: the one STREAM construction (Hoang, Reyhanitabar,
//! Rogaway and Vizár, "Online Authenticated-Encryption and its Nonce-Reuse
//! Misuse-Resistance", 2015) under both sealed formats, evidence files
//! (`evidence::sealed`) and backups (`backups::archive`), built on
//! `aead::stream` with AES-256-GCM.
//!
//! ```text
//! chunks: last flag (u8, 0 or 1) | length (u32 BE) | ciphertext of up to `chunk` bytes + 16-byte tag
//! ```
//! Chunk n's 12-byte nonce is the stream's random 7-byte prefix, n as a u32
//! big-endian, and the last flag as one byte (0 or 1): `aead::stream::StreamBE32`,
//! the very layout both formats wrote by hand before (a test below holds them
//! byte for byte). Every chunk carries the same associated data, the format's
//! binding (a blob name, a backup header). A chunk reordered, dropped, edited
//! or appended, a stream cut short, or bytes moved under another binding all
//! fail authentication. What the chunk frames and the bytes around them mean
//! (magic, header) is the format's business, not this module's.
//!
//! Writing seals a full chunk only once more plaintext follows it, so the last
//! chunk is never empty unless the whole stream is. (The backup writer before
//! this module sealed a full chunk at once and, when the plaintext ended on a
//! chunk boundary, added an empty last chunk; both readers accept both.)

use std::io::{self, Read, Write};

use aead::generic_array::GenericArray;
use aead::stream::{DecryptorBE32, EncryptorBE32};
use aead::KeyInit;
use aes_gcm::Aes256Gcm;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// Bytes of random nonce prefix per stream (12-byte nonce, less a 4-byte counter and a flag byte).
pub const PREFIX: usize = 7;
/// Bytes of authentication tag per chunk.
pub const TAG: usize = 16;

/// `N` fresh random bytes: a nonce prefix, a salt, a key.
pub fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(b)
}

/// How a stream failed to open. It reaches a reader's caller inside an
/// `io::Error` of kind `InvalidData` ([`broken`] gets it back out), so each
/// format words it for its own users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    /// The input ended before the chunk flagged last.
    #[error("the stream ends before its last chunk")]
    Cut,
    /// A chunk's frame (flag or length) is not one a writer makes.
    #[error("a chunk's frame is malformed")]
    Malformed,
    /// A chunk does not authenticate: another key, another binding, or changed bytes.
    #[error("a chunk does not authenticate")]
    Unauthentic,
    /// Bytes follow the chunk flagged last.
    #[error("bytes follow the last chunk")]
    Trailing,
}

/// The [`Broken`] inside an error from a [`StreamReader`], if that is what it is.
pub fn broken(e: &io::Error) -> Option<Broken> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<Broken>()).copied()
}

fn cipher(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new(GenericArray::from_slice(key))
}

/// Reads until `buf` is full or the input ends; returns how much was read.
fn fill(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Encrypts what is written to it into `out` as a stream of framed chunks;
/// [`StreamWriter::finish`] seals the last chunk. Dropped unfinished, it
/// leaves a stream every reader refuses (its last chunk never comes).
pub struct StreamWriter<W: Write> {
    out: W,
    encryptor: EncryptorBE32<Aes256Gcm>,
    aad: Vec<u8>,
    chunk: usize,
    /// The chunk being filled; encrypted in place, so room for the tag too.
    buf: Zeroizing<Vec<u8>>,
}

impl<W: Write> StreamWriter<W> {
    /// A stream under `key` and the nonce `prefix` (fresh for every stream:
    /// [`random`]), each chunk bound to `aad` and holding `chunk` bytes of
    /// plaintext (the last one up to that).
    pub fn new(key: &[u8; 32], prefix: &[u8; PREFIX], aad: Vec<u8>, chunk: usize, out: W) -> Self {
        assert!(chunk > 0 && u32::try_from(chunk + TAG).is_ok(), "a chunk's length fits its frame");
        let encryptor = EncryptorBE32::from_aead(cipher(key), GenericArray::from_slice(prefix));
        StreamWriter { out, encryptor, aad, chunk, buf: Zeroizing::new(Vec::with_capacity(chunk + TAG)) }
    }

    fn frame(out: &mut W, last: bool, sealed: &[u8]) -> io::Result<()> {
        out.write_all(&[u8::from(last)])?;
        out.write_all(&u32::try_from(sealed.len()).expect("checked in new").to_be_bytes())?;
        out.write_all(sealed)
    }

    /// Seals the full buffer as a chunk that is not the last.
    fn seal_next(&mut self) -> io::Result<()> {
        self.encryptor
            .encrypt_next_in_place(&self.aad, &mut *self.buf)
            .map_err(|_| io::Error::other("the stream is too long to encrypt"))?;
        Self::frame(&mut self.out, false, &self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// Seals what is left as the last chunk and returns the sink, flushed.
    pub fn finish(self) -> io::Result<W> {
        let StreamWriter { mut out, encryptor, aad, mut buf, .. } = self;
        encryptor.encrypt_last_in_place(&aad, &mut *buf).map_err(|_| io::Error::other("the stream could not be encrypted"))?;
        Self::frame(&mut out, true, &buf)?;
        out.flush()?;
        Ok(out)
    }
}

impl<W: Write> Write for StreamWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if bytes.is_empty() {
            return Ok(0);
        }
        // A full chunk waits for this moment: more follows, so it is not the last.
        if self.buf.len() == self.chunk {
            self.seal_next()?;
        }
        let take = (self.chunk - self.buf.len()).min(bytes.len());
        self.buf.extend_from_slice(&bytes[..take]);
        Ok(take)
    }

    /// Flushes the sink; the chunk being filled stays open (only `finish` seals it).
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The plaintext of a stream, decrypted chunk by chunk as it is read. Nothing
/// unauthenticated is ever handed out; a broken stream is an `InvalidData`
/// error carrying a [`Broken`] at the chunk where it shows, and stays broken.
pub struct StreamReader<R: Read> {
    input: R,
    /// None once the last chunk has been decrypted.
    decryptor: Option<DecryptorBE32<Aes256Gcm>>,
    aad: Vec<u8>,
    chunk: usize,
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    failed: Option<Broken>,
}

impl<R: Read> StreamReader<R> {
    /// Reads the chunks that follow in `input` (the format's own head already
    /// read) under `key` and the stream's nonce `prefix`, bound to `aad`, of at
    /// most `chunk` bytes of plaintext each.
    pub fn new(key: &[u8; 32], prefix: &[u8; PREFIX], aad: Vec<u8>, chunk: usize, input: R) -> Self {
        let decryptor = DecryptorBE32::from_aead(cipher(key), GenericArray::from_slice(prefix));
        StreamReader {
            input,
            decryptor: Some(decryptor),
            aad,
            chunk,
            plain: Zeroizing::new(Vec::with_capacity(chunk + TAG)),
            pos: 0,
            failed: None,
        }
    }

    /// Whether the last chunk has been authenticated and all its plaintext read:
    /// the stream is whole and nothing follows it.
    pub fn finished(&self) -> bool {
        self.decryptor.is_none() && self.pos == self.plain.len()
    }

    /// Reads and decrypts the next chunk into `plain`.
    fn next_chunk(&mut self) -> io::Result<std::result::Result<(), Broken>> {
        let mut head = [0u8; 5];
        if fill(&mut self.input, &mut head)? != head.len() {
            return Ok(Err(Broken::Cut));
        }
        let last = match head[0] {
            0 => false,
            1 => true,
            _ => return Ok(Err(Broken::Malformed)),
        };
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if !(TAG..=self.chunk + TAG).contains(&len) {
            return Ok(Err(Broken::Malformed));
        }
        self.pos = 0;
        self.plain.zeroize();
        self.plain.resize(len, 0);
        if fill(&mut self.input, &mut self.plain)? != len {
            self.plain.clear();
            return Ok(Err(Broken::Cut));
        }
        let decryptor = self.decryptor.take().expect("not called after the last chunk");
        let opened = if last {
            decryptor.decrypt_last_in_place(&self.aad, &mut *self.plain)
        } else {
            let mut decryptor = decryptor;
            let opened = decryptor.decrypt_next_in_place(&self.aad, &mut *self.plain);
            self.decryptor = Some(decryptor);
            opened
        };
        if opened.is_err() {
            // AES-GCM decrypts only after the tag checks, but leave nothing to hand out either way.
            self.plain.zeroize();
            return Ok(Err(Broken::Unauthentic));
        }
        if last && fill(&mut self.input, &mut [0u8; 1])? != 0 {
            self.plain.zeroize();
            return Ok(Err(Broken::Trailing));
        }
        Ok(Ok(()))
    }
}

impl<R: Read> Read for StreamReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(broken) = self.failed {
            return Err(io::Error::new(io::ErrorKind::InvalidData, broken));
        }
        while self.pos == self.plain.len() {
            if self.decryptor.is_none() || buf.is_empty() {
                return Ok(0);
            }
            if let Err(broken) = self.next_chunk()? {
                self.failed = Some(broken);
                return Err(io::Error::new(io::ErrorKind::InvalidData, broken));
            }
        }
        let n = buf.len().min(self.plain.len() - self.pos);
        buf[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Decrypts a whole AES-256-GCM message with its own 12-byte nonce: the
/// evidence format before streams (`RDE1`). `None` when it does not authenticate.
pub fn open_whole(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    use aead::{Aead, Payload};
    cipher(key).decrypt(GenericArray::from_slice(nonce), Payload { msg: sealed, aad }).ok().map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aead::{Aead, Payload};
    use proptest::prelude::*;

    const KEY: [u8; 32] = [7u8; 32];
    const PREFIX7: [u8; PREFIX] = *b"prefix7";

    fn write(plain: &[u8], chunk: usize, pieces: &[usize]) -> Vec<u8> {
        let mut w = StreamWriter::new(&KEY, &PREFIX7, b"bound".to_vec(), chunk, Vec::new());
        let mut rest = plain;
        for &p in pieces.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let n = p.clamp(1, rest.len());
            w.write_all(&rest[..n]).unwrap();
            rest = &rest[n..];
        }
        w.finish().unwrap()
    }

    fn read(stored: &[u8], aad: &[u8], chunk: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut r = StreamReader::new(&KEY, &PREFIX7, aad.to_vec(), chunk, stored);
        r.read_to_end(&mut out)?;
        assert!(r.finished());
        Ok(out)
    }

    /// The STREAM both formats wrote by hand before this module, kept here as
    /// the reference: each chunk under the nonce prefix | counter (u32 BE) | last
    /// flag (0 or 1), a full chunk sealed once more follows.
    fn reference(plain: &[u8], chunk: usize) -> Vec<u8> {
        let cipher = cipher(&KEY);
        let mut out = Vec::new();
        let mut pieces: Vec<&[u8]> = plain.chunks(chunk).collect();
        if pieces.is_empty() {
            pieces.push(&[]);
        }
        for (counter, piece) in pieces.iter().enumerate() {
            let last = counter + 1 == pieces.len();
            let mut nonce = [0u8; 12];
            nonce[..7].copy_from_slice(&PREFIX7);
            nonce[7..11].copy_from_slice(&u32::try_from(counter).unwrap().to_be_bytes());
            nonce[11] = u8::from(last);
            let sealed = cipher.encrypt(GenericArray::from_slice(&nonce), Payload { msg: piece, aad: b"bound" }).unwrap();
            out.push(u8::from(last));
            out.extend_from_slice(&u32::try_from(sealed.len()).unwrap().to_be_bytes());
            out.extend_from_slice(&sealed);
        }
        out
    }

    fn pattern(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn the_stream_is_byte_for_byte_the_one_written_by_hand_before() {
        for n in [0, 1, 63, 64, 65, 128, 129, 300] {
            let plain = pattern(n);
            assert_eq!(write(&plain, 64, &[7]), reference(&plain, 64), "{n} bytes");
        }
    }

    #[test]
    fn a_stream_that_ends_in_an_empty_last_chunk_still_reads() {
        // The backup writer before this module: a full chunk sealed at once, then an empty last one.
        let cipher = cipher(&KEY);
        let mut stored = Vec::new();
        for (counter, (msg, last)) in [(&pattern(64)[..], false), (&[][..], true)].into_iter().enumerate() {
            let nonce: Vec<u8> = PREFIX7.iter().copied().chain((counter as u32).to_be_bytes()).chain([u8::from(last)]).collect();
            let sealed = cipher.encrypt(GenericArray::from_slice(&nonce), Payload { msg, aad: b"bound" }).unwrap();
            stored.push(u8::from(last));
            stored.extend_from_slice(&(sealed.len() as u32).to_be_bytes());
            stored.extend_from_slice(&sealed);
        }
        assert_eq!(read(&stored, b"bound", 64).unwrap(), pattern(64));
    }

    #[test]
    fn a_broken_stream_names_how_and_stays_broken() {
        let stored = write(&pattern(200), 64, &[200]);
        let chunk = 5 + 64 + TAG;
        let kind = |bytes: &[u8], aad: &[u8]| {
            let mut r = StreamReader::new(&KEY, &PREFIX7, aad.to_vec(), 64, bytes);
            let first = broken(&r.read_to_end(&mut Vec::new()).unwrap_err());
            // Reading on after the failure hands out nothing either.
            assert_eq!(broken(&r.read(&mut [0u8; 8]).unwrap_err()), first);
            first.unwrap()
        };
        assert_eq!(kind(&stored[..3 * chunk], b"bound"), Broken::Cut);
        assert_eq!(kind(&stored[..3 * chunk + 10], b"bound"), Broken::Cut);
        let mut edited = stored.clone();
        edited[chunk + 30] ^= 1;
        assert_eq!(kind(&edited, b"bound"), Broken::Unauthentic);
        assert_eq!(kind(&stored, b"another binding"), Broken::Unauthentic);
        let mut flagged = stored.clone();
        flagged[chunk] = 1;
        assert_eq!(kind(&flagged, b"bound"), Broken::Unauthentic);
        flagged[chunk] = 2;
        assert_eq!(kind(&flagged, b"bound"), Broken::Malformed);
        let mut long = stored.clone();
        long[1..5].copy_from_slice(&(64 + TAG as u32 + 1).to_be_bytes());
        assert_eq!(kind(&long, b"bound"), Broken::Malformed);
        let mut appended = stored.clone();
        appended.push(0);
        assert_eq!(kind(&appended, b"bound"), Broken::Trailing);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any size, around and across chunk boundaries, written in any pieces,
        /// reads back as it went in, read in any pieces, and as the reference wrote it.
        #[test]
        fn what_goes_in_comes_back_out(
            chunks in 0usize..4,
            offset in -2isize..=2,
            chunk in prop_oneof![Just(1usize), Just(16), Just(64), 1usize..100],
            pieces in proptest::collection::vec(1usize..150, 1..6),
            reads in 1usize..150,
        ) {
            let n = (chunks * chunk).saturating_add_signed(offset);
            let plain = pattern(n);
            let stored = write(&plain, chunk, &pieces);
            prop_assert_eq!(&stored, &reference(&plain, chunk));
            let mut r = StreamReader::new(&KEY, &PREFIX7, b"bound".to_vec(), chunk, &stored[..]);
            let mut back = Vec::new();
            let mut buf = vec![0u8; reads];
            loop {
                let k = r.read(&mut buf).unwrap();
                if k == 0 {
                    break;
                }
                back.extend_from_slice(&buf[..k]);
            }
            prop_assert!(r.finished());
            prop_assert_eq!(back, plain);
        }
    }

    #[test]
    fn a_whole_message_opens_only_under_its_binding() {
        let nonce = [3u8; 12];
        let sealed = cipher(&KEY).encrypt(GenericArray::from_slice(&nonce), Payload { msg: b"old", aad: b"blob" }).unwrap();
        assert_eq!(open_whole(&KEY, &nonce, b"blob", &sealed).unwrap().as_slice(), b"old");
        assert!(open_whole(&KEY, &nonce, b"other", &sealed).is_none());
    }
}
