//! Secure Authentication objects (g120 variations 1-7, 9, 15; g121; g122) and
//! file-transfer objects (g70 variations 2-7), typed to their named fields
//! (IEEE 1815-2012 clause 7 and Annex A, object layouts A.45-A.47 and A.37).
//!
//! These objects travel with a size prefix (qualifier 0x5B, free format) except
//! g120v3, g120v4, g121 and g122, whose size is fixed. A decoded value keeps the
//! object's bytes, so encoding writes them back unchanged.

use meterwire_core::Cursor;

/// The typed objects' layouts, one entry per group/variation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Typed {
    /// g120 Secure Authentication, by variation.
    Auth(u8),
    /// g121v1 security statistic, g122v1/v2 statistic event (`time`: v2).
    Statistic {
        /// With a 48-bit time (g122v2).
        time: bool,
    },
    /// g70 file transfer, by variation.
    File(u8),
}

impl Typed {
    /// The object size where the standard fixes it (no size prefix needed).
    pub const fn fixed_size(self) -> Option<usize> {
        match self {
            Typed::Auth(3) => Some(6),
            Typed::Auth(4) => Some(2),
            Typed::Statistic { time: false } => Some(7),
            Typed::Statistic { time: true } => Some(13),
            _ => None,
        }
    }

    /// Decodes one object from exactly its bytes; `None` when the bytes are too
    /// short for the fixed fields (the caller shows them raw).
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Option<TypedValue<'a>> {
        let mut c = Cursor::new(bytes);
        let v = match self {
            Typed::Auth(v) => TypedValue::Auth(decode_auth(v, &mut c)?),
            Typed::Statistic { time } => TypedValue::Auth(Auth::Statistic {
                flags: c.read_u8().ok()?,
                association: c.read_u16_le().ok()?,
                value: c.read_u32_le().ok()?,
                time: if time {
                    Some(c.read_uint_le(6).ok()?)
                } else {
                    None
                },
            }),
            Typed::File(v) => TypedValue::File(decode_file(v, bytes, &mut c)?),
        };
        Some(v)
    }
}

/// A decoded typed object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedValue<'a> {
    /// g120-g122.
    Auth(Auth<'a>),
    /// g70.
    File(FileObject<'a>),
}

#[cfg(feature = "serde")]
fn ser_hex<S: serde::Serializer>(b: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&meterwire_core::Hex(b), s)
}

#[cfg(feature = "serde")]
fn ser_text<S: serde::Serializer>(b: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    match core::str::from_utf8(b) {
        Ok(t) => s.serialize_str(t),
        Err(_) => ser_hex(b, s),
    }
}

/// A Secure Authentication object (IEEE 1815-2012 clause 7.6 / A.45-A.47): the
/// fixed fields named, the variable parts as bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(tag = "object", rename_all = "snake_case")
)]
pub enum Auth<'a> {
    /// g120v1 authentication challenge.
    Challenge {
        /// Challenge sequence number (CSQ).
        csq: u32,
        /// User number.
        user: u16,
        /// MAC algorithm (MAL).
        mac_algorithm: u8,
        /// Reason for the challenge (1: critical).
        reason: u8,
        /// Challenge data.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        data: &'a [u8],
    },
    /// g120v2 authentication reply.
    Reply {
        /// Challenge sequence number.
        csq: u32,
        /// User number.
        user: u16,
        /// MAC value.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        mac: &'a [u8],
    },
    /// g120v3 aggressive mode request.
    AggressiveModeRequest {
        /// Challenge sequence number.
        csq: u32,
        /// User number.
        user: u16,
    },
    /// g120v4 session key status request.
    KeyStatusRequest {
        /// User number.
        user: u16,
    },
    /// g120v5 session key status.
    KeyStatus {
        /// Key change sequence number (KSQ).
        ksq: u32,
        /// User number.
        user: u16,
        /// Key wrap algorithm (KWA).
        key_wrap_algorithm: u8,
        /// Key status (1 ok, 2 not init, 3 comm fail, 4 auth fail).
        key_status: u8,
        /// MAC algorithm.
        mac_algorithm: u8,
        /// Challenge data.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        challenge: &'a [u8],
        /// MAC value (the rest).
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        mac: &'a [u8],
    },
    /// g120v6 session key change.
    KeyChange {
        /// Key change sequence number.
        ksq: u32,
        /// User number.
        user: u16,
        /// Encrypted key wrap data.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        wrapped_key: &'a [u8],
    },
    /// g120v7 authentication error.
    Error {
        /// Challenge sequence number.
        csq: u32,
        /// User number.
        user: u16,
        /// Association id.
        association: u16,
        /// Error code.
        code: u8,
        /// Time of error, ms since 1970 UTC.
        time: u64,
        /// Error text.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_text"))]
        text: &'a [u8],
    },
    /// g120v9 HMAC value.
    Hmac {
        /// The MAC.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        mac: &'a [u8],
    },
    /// g120v15 MAC of an aggressive-mode request.
    AggressiveModeMac {
        /// The MAC.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        mac: &'a [u8],
    },
    /// g121v1 security statistic, g122v1/v2 security statistic event.
    Statistic {
        /// Flags.
        flags: u8,
        /// Association id.
        association: u16,
        /// Counter value.
        value: u32,
        /// Time of the event (g122v2).
        time: Option<u64>,
    },
}

fn decode_auth<'a>(v: u8, c: &mut Cursor<'a>) -> Option<Auth<'a>> {
    Some(match v {
        1 => Auth::Challenge {
            csq: c.read_u32_le().ok()?,
            user: c.read_u16_le().ok()?,
            mac_algorithm: c.read_u8().ok()?,
            reason: c.read_u8().ok()?,
            data: c.take_rest(),
        },
        2 => Auth::Reply {
            csq: c.read_u32_le().ok()?,
            user: c.read_u16_le().ok()?,
            mac: c.take_rest(),
        },
        3 => Auth::AggressiveModeRequest {
            csq: c.read_u32_le().ok()?,
            user: c.read_u16_le().ok()?,
        },
        4 => Auth::KeyStatusRequest {
            user: c.read_u16_le().ok()?,
        },
        5 => {
            let ksq = c.read_u32_le().ok()?;
            let user = c.read_u16_le().ok()?;
            let key_wrap_algorithm = c.read_u8().ok()?;
            let key_status = c.read_u8().ok()?;
            let mac_algorithm = c.read_u8().ok()?;
            let n = c.read_u16_le().ok()?;
            let challenge = c.take(usize::from(n)).ok()?;
            Auth::KeyStatus {
                ksq,
                user,
                key_wrap_algorithm,
                key_status,
                mac_algorithm,
                challenge,
                mac: c.take_rest(),
            }
        }
        6 => Auth::KeyChange {
            ksq: c.read_u32_le().ok()?,
            user: c.read_u16_le().ok()?,
            wrapped_key: c.take_rest(),
        },
        7 => Auth::Error {
            csq: c.read_u32_le().ok()?,
            user: c.read_u16_le().ok()?,
            association: c.read_u16_le().ok()?,
            code: c.read_u8().ok()?,
            time: c.read_uint_le(6).ok()?,
            text: c.take_rest(),
        },
        9 => Auth::Hmac { mac: c.take_rest() },
        15 => Auth::AggressiveModeMac { mac: c.take_rest() },
        _ => return None,
    })
}

/// A file-transfer object (g70, IEEE 1815-2012 A.37): fixed fields named, strings
/// cut by their offset (from the start of the object) and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(tag = "object", rename_all = "snake_case")
)]
pub enum FileObject<'a> {
    /// g70v2 authentication.
    Authentication {
        /// Authentication key.
        key: u32,
        /// User name.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_text"))]
        user_name: &'a [u8],
        /// Password.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_text"))]
        password: &'a [u8],
    },
    /// g70v3 file command.
    Command {
        /// File name.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_text"))]
        name: &'a [u8],
        /// Time of creation, ms since 1970 UTC.
        created: u64,
        /// Permissions.
        permissions: u16,
        /// Authentication key.
        key: u32,
        /// File size.
        size: u32,
        /// Operational mode (0 null, 1 read, 2 write, 3 append).
        mode: u16,
        /// Maximum block size.
        max_block: u16,
        /// Request id.
        request_id: u16,
    },
    /// g70v4 file command status.
    CommandStatus {
        /// File handle.
        handle: u32,
        /// File size.
        size: u32,
        /// Maximum block size.
        max_block: u16,
        /// Request id.
        request_id: u16,
        /// Status code (0 success).
        status: u8,
        /// Optional text.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_text"))]
        text: &'a [u8],
    },
    /// g70v5 file transport.
    Transport {
        /// File handle.
        handle: u32,
        /// Block number (bit 31 cleared).
        block: u32,
        /// Bit 31: last block.
        last: bool,
        /// File data.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        data: &'a [u8],
    },
    /// g70v6 file transport status.
    TransportStatus {
        /// File handle.
        handle: u32,
        /// Block number (bit 31 cleared).
        block: u32,
        /// Bit 31: last block.
        last: bool,
        /// Status code (0 success).
        status: u8,
        /// Optional text.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_text"))]
        text: &'a [u8],
    },
    /// g70v7 file descriptor.
    Descriptor {
        /// File name.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_text"))]
        name: &'a [u8],
        /// File type (0 directory, 1 simple file).
        file_type: u16,
        /// File size.
        size: u32,
        /// Time of creation, ms since 1970 UTC.
        created: u64,
        /// Permissions.
        permissions: u16,
        /// Request id.
        request_id: u16,
    },
}

/// A string's offset (from the start of the object) and size, as g70 objects
/// give them.
fn string_ref(c: &mut Cursor<'_>) -> Option<(u16, u16)> {
    Some((c.read_u16_le().ok()?, c.read_u16_le().ok()?))
}

/// `size` bytes at `offset` from the start of the object.
fn string_at(bytes: &[u8], offset: u16, size: u16) -> Option<&[u8]> {
    let start = usize::from(offset);
    bytes.get(start..start.checked_add(usize::from(size))?)
}

/// The file handle and block number that open g70v5 and g70v6: (handle, block
/// with bit 31 cleared, bit 31 set: last block).
fn handle_block(c: &mut Cursor<'_>) -> Option<(u32, u32, bool)> {
    const LAST: u32 = 0x8000_0000;
    let handle = c.read_u32_le().ok()?;
    let block = c.read_u32_le().ok()?;
    Some((handle, block & !LAST, block & LAST != 0))
}

fn decode_file<'a>(v: u8, bytes: &'a [u8], c: &mut Cursor<'a>) -> Option<FileObject<'a>> {
    Some(match v {
        2 => {
            let (uo, us) = string_ref(c)?;
            let (po, ps) = string_ref(c)?;
            FileObject::Authentication {
                key: c.read_u32_le().ok()?,
                user_name: string_at(bytes, uo, us)?,
                password: string_at(bytes, po, ps)?,
            }
        }
        3 => {
            let (no, ns) = string_ref(c)?;
            FileObject::Command {
                created: c.read_uint_le(6).ok()?,
                permissions: c.read_u16_le().ok()?,
                key: c.read_u32_le().ok()?,
                size: c.read_u32_le().ok()?,
                mode: c.read_u16_le().ok()?,
                max_block: c.read_u16_le().ok()?,
                request_id: c.read_u16_le().ok()?,
                name: string_at(bytes, no, ns)?,
            }
        }
        4 => FileObject::CommandStatus {
            handle: c.read_u32_le().ok()?,
            size: c.read_u32_le().ok()?,
            max_block: c.read_u16_le().ok()?,
            request_id: c.read_u16_le().ok()?,
            status: c.read_u8().ok()?,
            text: c.take_rest(),
        },
        5 => {
            let (handle, block, last) = handle_block(c)?;
            FileObject::Transport {
                handle,
                block,
                last,
                data: c.take_rest(),
            }
        }
        6 => {
            let (handle, block, last) = handle_block(c)?;
            FileObject::TransportStatus {
                handle,
                block,
                last,
                status: c.read_u8().ok()?,
                text: c.take_rest(),
            }
        }
        7 => {
            let (no, ns) = string_ref(c)?;
            FileObject::Descriptor {
                file_type: c.read_u16_le().ok()?,
                size: c.read_u32_le().ok()?,
                created: c.read_uint_le(6).ok()?,
                permissions: c.read_u16_le().ok()?,
                request_id: c.read_u16_le().ok()?,
                name: string_at(bytes, no, ns)?,
            }
        }
        _ => return None,
    })
}
