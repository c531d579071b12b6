//! General block transfer (GBT, APDU tag 0xE0), Green Book 9.1.4.4.12 /
//! IEC 62056-5-3 §7.3.8: long APDUs (plain or ciphered) are split into blocks
//!
//! `E0 | block-control | block-number u16 | block-number-ack u16 | block-data (octet string)`
//!
//! with block-control bit 7 = last block, bit 6 = streaming, bits 0-5 = window.
//! A GBT APDU may itself arrive ciphered (general-glo/ded-ciphering around each
//! block), and the reassembled APDU may be ciphered: [`BlockReassembler`]
//! handles both (decrypting with [`decrypt_apdu`](super::decrypt_apdu)).

use meterwire_core::Cursor;

use super::header::{TAG_GENERAL_BLOCK_TRANSFER, read_length};
use super::{CipheredApdu, SecurityError, SecurityKeys, decrypt_parsed};

/// One general-block-transfer APDU (borrowed view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GeneralBlock<'a> {
    /// Last block of the APDU.
    pub last_block: bool,
    /// Streaming (the sender continues without waiting for acknowledgement).
    pub streaming: bool,
    /// Window size.
    pub window: u8,
    /// Block number.
    pub block_number: u16,
    /// Acknowledged block number.
    pub block_number_ack: u16,
    /// The block's data.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub data: &'a [u8],
    /// Bytes of the input the APDU occupies.
    pub consumed: usize,
}

impl<'a> GeneralBlock<'a> {
    /// Parses a GBT APDU (`apdu[0]` = 0xE0).
    pub fn parse(apdu: &'a [u8]) -> Result<Self, SecurityError> {
        let mut c = Cursor::new(apdu);
        let tag = c.read_u8()?;
        if tag != TAG_GENERAL_BLOCK_TRANSFER {
            return Err(SecurityError::malformed(
                "general-block-transfer",
                "expected tag 0xe0",
            ));
        }
        let bc = c.read_u8()?;
        let block_number = c.read_u16_be()?;
        let block_number_ack = c.read_u16_be()?;
        let n = read_length(&mut c)?;
        let data = c.take(n)?;
        Ok(GeneralBlock {
            last_block: bc & 0x80 != 0,
            streaming: bc & 0x40 != 0,
            window: bc & 0x3F,
            block_number,
            block_number_ack,
            data,
            consumed: c.position(),
        })
    }
}

/// Reassembles general-block-transfer blocks into a caller buffer (no allocation).
///
/// Blocks must arrive in sequence (block number + 1 each time, starting from
/// the first block seen); a gap or repeat is an error and restarts reassembly.
#[derive(Debug)]
pub struct BlockReassembler<'b> {
    buf: &'b mut [u8],
    len: usize,
    next: Option<u16>,
    complete: bool,
}

impl<'b> BlockReassembler<'b> {
    /// A reassembler writing into `buf` (its length bounds the APDU size).
    pub fn new(buf: &'b mut [u8]) -> Self {
        BlockReassembler {
            buf,
            len: 0,
            next: None,
            complete: false,
        }
    }

    /// Forgets any partial APDU.
    pub fn reset(&mut self) {
        self.len = 0;
        self.next = None;
        self.complete = false;
    }

    /// Bytes collected so far.
    pub fn collected(&self) -> usize {
        self.len
    }

    /// Adds one parsed block; returns the reassembled APDU after the last block.
    pub fn push_block(&mut self, block: &GeneralBlock<'_>) -> Result<Option<&[u8]>, SecurityError> {
        if self.complete {
            self.reset();
        }
        if let Some(expected) = self.next {
            if block.block_number != expected {
                self.reset();
                return Err(SecurityError::BlockSequence {
                    expected,
                    actual: block.block_number,
                });
            }
        }
        let end = self.len.saturating_add(block.data.len());
        let available = self.buf.len();
        match self.buf.get_mut(self.len..end) {
            Some(dst) => dst.copy_from_slice(block.data),
            None => {
                self.reset();
                return Err(SecurityError::BufferTooSmall {
                    needed: end,
                    available,
                });
            }
        }
        self.len = end;
        self.next = Some(block.block_number.wrapping_add(1));
        if block.last_block {
            self.complete = true;
            self.next = None;
            return Ok(self.buf.get(..self.len));
        }
        Ok(None)
    }

    /// Adds one GBT APDU (plain bytes starting with 0xE0).
    pub fn push(&mut self, apdu: &[u8]) -> Result<Option<&[u8]>, SecurityError> {
        let block = GeneralBlock::parse(apdu)?;
        self.push_block(&block)
    }

    /// Adds one GBT APDU that may be ciphered (e.g. a general-glo-ciphering
    /// APDU whose plaintext is a GBT APDU). `scratch` receives the decrypted
    /// block and must hold it.
    pub fn push_protected(
        &mut self,
        apdu: &[u8],
        keys: &SecurityKeys,
        system_title: Option<[u8; 8]>,
        scratch: &mut [u8],
    ) -> Result<Option<&[u8]>, SecurityError> {
        if apdu.first() == Some(&TAG_GENERAL_BLOCK_TRANSFER) {
            return self.push(apdu);
        }
        let c = CipheredApdu::parse(apdu)?;
        let (plain, _) = decrypt_parsed(&c, keys, system_title, scratch)?;
        self.push(plain)
    }
}
