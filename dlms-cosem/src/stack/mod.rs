//! The whole DLMS/COSEM receive stack in one [`Framer`]: HDLC (IEC 62056-46), the
//! wrapper (IEC 62056-47) or M-Bus long frames (IEC 62056-7-6) -> segment reassembly ->
//! LLC -> general-block-transfer reassembly (IEC 62056-5-3 9.1.4.4.12) -> ciphered APDU
//! -> decryption with a [`KeyRing`] (Green Book 9.2.7) -> xDLMS APDU.
//!
//! Integrity failures are errors (FCS/HCS, M-Bus checksum, GCM tag, a wrong key on an
//! encryption-only APDU, a replayed invocation counter with the guard on). Everything
//! else is data on the frame: a segment out of sequence, a missing key
//! ([`DiagnosticKind::NotDecrypted`]), a plaintext decrypted without tag check
//! ([`DiagnosticKind::NotVerified`]), a plaintext that is not an APDU
//! ([`DiagnosticKind::UnexpectedPayload`]). In strict mode
//! ([`DlmsFramer::strict`]) any diagnostic is [`meterwire_core::Error::Nonconforming`].
//!
//! ```
//! use meterwire_dlms_cosem::{Decoded, Framer};
//! use meterwire_dlms_cosem::security::{Key, PreparedKeys, SecurityKeys};
//! use meterwire_dlms_cosem::stack::DlmsFramer;
//!
//! // EVN (Austria) Kaifa MA309 push, general-glo-ciphering, with its published key
//! // (athombv/node-dsmr-parser test data)
//! let text = include_str!("../../tests/vectors/security/evn_kaifa_ma309_push.hex");
//! let mut buf = [0u8; 512];
//! let n = meterwire_core::hex::decode_hex_into(text.trim().as_bytes(), &mut buf).unwrap();
//! let push = &buf[..n];
//! let ek = Key::from_slice(&[0x36, 0xC6, 0x66, 0x39, 0xE4, 0x8A, 0x8C, 0xA4,
//!     0xD6, 0xBC, 0x8B, 0x28, 0x2A, 0x79, 0x3B, 0xBB])?;
//! let mut framer = DlmsFramer::apdu().keys(PreparedKeys::new(&SecurityKeys::new(ek)));
//! let Decoded::Frame { frame, .. } = framer.decode(push)? else { panic!() };
//! assert_eq!(frame.name(), "general-glo-ciphering");
//! assert_eq!(frame.inner().unwrap().name(), "data-notification");
//! # Ok::<(), meterwire_dlms_cosem::Error>(())
//! ```
//!
//! [`DiagnosticKind::NotDecrypted`]: meterwire_core::DiagnosticKind::NotDecrypted
//! [`DiagnosticKind::NotVerified`]: meterwire_core::DiagnosticKind::NotVerified
//! [`DiagnosticKind::UnexpectedPayload`]: meterwire_core::DiagnosticKind::UnexpectedPayload

mod frame;

use alloc::vec;
use alloc::vec::Vec;

use meterwire_core::{Decoded, Framer, Needed, Strictness};

use crate::apdu::{Apdu, UserInformation};
use crate::error::{Error, Result};
use crate::hdlc::{Control, HdlcFramer, Reassembler};
use crate::mbus::{MbusFramer, MbusReassembler};
use crate::security::{
    CipheredApdu, KeyRing, ReplayGuard, SecurityError, TagCheck, Verification, decrypt_prepared,
};
use crate::wrapper::WrapperFramer;

use frame::{Bytes, printable};
pub use frame::{DlmsFrame, Link, MAX_DIAGNOSTICS};

/// Largest APDU reassembled by default (HDLC/M-Bus segments, general-block-transfer).
pub const DEFAULT_MAX_APDU: usize = 0xFFFF;

/// A key ring without keys: every ciphered APDU is shown with `NotDecrypted`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoKeys;

impl KeyRing for NoKeys {
    fn keys(&self, _: &[u8; 8]) -> Option<&crate::security::PreparedKeys> {
        None
    }
}

/// Which link layer the stack reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// HDLC frames.
    Hdlc,
    /// Wrapper frames (TCP/UDP 4059).
    Wrapper,
    /// M-Bus long frames.
    Mbus,
    /// Bare APDUs back to back.
    Apdu,
}

meterwire_core::diagnostics! {
    NO_KEY = NotDecrypted, "ciphered apdu", "no key for this system title: header shown, content not decrypted";
    NO_TITLE = NotDecrypted, "ciphered apdu", "no system title known for this service-specific apdu (give one, or see the aarq/aare)";
    NO_AK = NotDecrypted, "ciphered apdu", "authenticated apdu and no authentication key: not decrypted (opt in to decrypt without tag check)";
    NOT_VERIFIED = NotVerified, "ciphered apdu", "decrypted without checking the gcm tag";
    TEXT_PAYLOAD = UnexpectedPayload, "plaintext", "decrypted plaintext is text, not an xdlms apdu (e.g. dsmr p1 inside general-glo-ciphering)";
    BINARY_PAYLOAD = UnexpectedPayload, "plaintext", "authenticated plaintext is not an xdlms apdu";
    HDLC_SEQUENCE = Unreassembled, "hdlc segment", "out of sequence: the partial apdu was dropped";
    NS_NOT_ADVANCING = VendorQuirk, "hdlc n(s)", "segment n(s) does not advance (aidon han push): reassembled by address";
    TOO_LONG = Unreassembled, "reassembly", "apdu longer than the reassembly maximum: dropped";
    GBT_SEQUENCE = Unreassembled, "general-block-transfer", "block out of sequence: the partial apdu was dropped";
    MBUS_SEQUENCE = Unreassembled, "mbus segment", "out of sequence: the partial apdu was dropped";
}

/// The stack framer. Build with [`DlmsFramer::hdlc`], [`DlmsFramer::wrapper`],
/// [`DlmsFramer::mbus`] or [`DlmsFramer::apdu`], then add keys and options.
#[derive(Debug, Clone)]
pub struct DlmsFramer<K = NoKeys> {
    transport: Transport,
    hdlc: HdlcFramer,
    hdlc_reasm: Option<Reassembler<Vec<u8>>>,
    mbus_reasm: Option<MbusReassembler<Vec<u8>>>,
    gbt: Vec<u8>,
    gbt_next: Option<u16>,
    max_apdu: usize,
    keys: K,
    tag_check: TagCheck,
    strictness: Strictness,
    system_title: Option<[u8; 8]>,
    client_title: Option<[u8; 8]>,
    server_title: Option<[u8; 8]>,
    replay: Option<ReplayGuard>,
    scratch: Vec<u8>,
}

impl DlmsFramer<NoKeys> {
    /// A stack over `transport`, without keys.
    pub fn new(transport: Transport) -> Self {
        DlmsFramer {
            transport,
            hdlc: HdlcFramer::new(),
            hdlc_reasm: None,
            mbus_reasm: None,
            gbt: Vec::new(),
            gbt_next: None,
            max_apdu: DEFAULT_MAX_APDU,
            keys: NoKeys,
            tag_check: TagCheck::Verify,
            strictness: Strictness::Lenient,
            system_title: None,
            client_title: None,
            server_title: None,
            replay: None,
            scratch: Vec::new(),
        }
    }
    /// HDLC frames (serial ports, optical probes, HAN customer ports).
    pub fn hdlc() -> Self {
        Self::new(Transport::Hdlc)
    }
    /// Wrapper frames (TCP/UDP port 4059).
    pub fn wrapper() -> Self {
        Self::new(Transport::Wrapper)
    }
    /// M-Bus long frames (Austrian and Norwegian customer ports).
    pub fn mbus() -> Self {
        Self::new(Transport::Mbus)
    }
    /// Bare APDUs.
    pub fn apdu() -> Self {
        Self::new(Transport::Apdu)
    }
}

impl<K: KeyRing> DlmsFramer<K> {
    /// Decrypts ciphered APDUs with keys from `ring` (looked up by system title).
    pub fn keys<R: KeyRing>(self, ring: R) -> DlmsFramer<R> {
        DlmsFramer {
            transport: self.transport,
            hdlc: self.hdlc,
            hdlc_reasm: self.hdlc_reasm,
            mbus_reasm: self.mbus_reasm,
            gbt: self.gbt,
            gbt_next: self.gbt_next,
            max_apdu: self.max_apdu,
            keys: ring,
            tag_check: self.tag_check,
            strictness: self.strictness,
            system_title: self.system_title,
            client_title: self.client_title,
            server_title: self.server_title,
            replay: self.replay,
            scratch: self.scratch,
        }
    }

    /// The key ring.
    pub fn key_ring(&self) -> &K {
        &self.keys
    }

    /// Whether the GCM tag is checked ([`TagCheck::Skip`] decrypts with the encryption
    /// key only and marks the result `NotVerified`).
    #[must_use]
    pub fn tag_check(mut self, check: TagCheck) -> Self {
        self.tag_check = check;
        self
    }

    meterwire_core::strictness_builders!(non_const strictness);

    /// The system title for service-specific ciphered APDUs (glo-get-request ...) that
    /// carry none, when no AARQ/AARE was seen.
    #[must_use]
    pub fn system_title(mut self, st: [u8; 8]) -> Self {
        self.system_title = Some(st);
        self
    }

    /// Largest reassembled APDU (HDLC/M-Bus segments and general-block-transfer).
    #[must_use]
    pub fn max_apdu(mut self, n: usize) -> Self {
        self.max_apdu = n;
        self.hdlc_reasm = None;
        self.mbus_reasm = None;
        self
    }

    /// Rejects an invocation counter that is not above the last accepted one of the
    /// same system title (`Replay`).
    #[must_use]
    pub fn replay_guard(mut self) -> Self {
        self.replay = Some(ReplayGuard::new());
        self
    }

    /// Bytes the reassembly buffers (HDLC, M-Bus, general-block-transfer) hold
    /// allocated now; each is bounded by [`DlmsFramer::max_apdu`], whatever the input.
    pub fn reassembly_capacity(&self) -> usize {
        let hdlc = if self.hdlc_reasm.is_some() {
            self.max_apdu
        } else {
            0
        };
        let mbus = if self.mbus_reasm.is_some() {
            self.max_apdu
        } else {
            0
        };
        hdlc.saturating_add(mbus)
            .saturating_add(self.gbt.capacity())
    }

    fn link_apdu<'a>(&mut self, f: &mut DlmsFrame<'a>) -> Result<()> {
        match f.link {
            Link::Hdlc(h) => {
                if !matches!(h.control, Control::I { .. } | Control::UI { .. }) {
                    // supervisory and unnumbered frames carry no apdu (SNRM/UA parameters)
                    return Ok(());
                }
                if !h.segmented && self.hdlc_reasm.as_ref().is_none_or(|r| !r.in_progress()) {
                    // one unsegmented frame: borrow its payload
                    if h.info.is_empty() {
                        return Ok(());
                    }
                    if let Some(r) = self.hdlc_reasm.as_mut() {
                        r.reset();
                    }
                    f.apdu = Some(Bytes::Borrowed(h.payload()));
                    return Ok(());
                }
                let max = self.max_apdu;
                let r = self
                    .hdlc_reasm
                    .get_or_insert_with(|| Reassembler::new(vec![0u8; max]));
                if let (Control::I { ns, .. }, Some(want)) = (h.control, r.expected_ns()) {
                    // the same n(s) again (not a gap: a lost segment stays a sequence error)
                    if ns != want && ns == want.wrapping_sub(1) & 7 {
                        f.diagnostics.push(NS_NOT_ADVANCING);
                        r.accept_ns(ns);
                    }
                }
                match r.push(&h) {
                    Ok(None) => f.partial = h.segmented,
                    Ok(Some(apdu)) => f.apdu = Some(Bytes::Owned(apdu.to_vec())),
                    Err(Error::Sequence { .. }) => {
                        f.diagnostics.push(HDLC_SEQUENCE);
                        match r.last_apdu() {
                            Some(a) => f.apdu = Some(Bytes::Owned(a.to_vec())),
                            None => f.partial = h.segmented,
                        }
                    }
                    Err(Error::BufferFull { .. }) => f.diagnostics.push(TOO_LONG),
                    Err(e) => return Err(e),
                }
            }
            Link::Wrapper(w) => f.apdu = Some(Bytes::Borrowed(w.apdu)),
            Link::Mbus(m) => {
                let max = self.max_apdu;
                let r = self
                    .mbus_reasm
                    .get_or_insert_with(|| MbusReassembler::new(vec![0u8; max]));
                match r.push(&m) {
                    Ok(None) => f.partial = true,
                    Ok(Some(apdu)) => f.apdu = Some(Bytes::Owned(apdu.to_vec())),
                    Err(Error::Sequence { .. }) => f.diagnostics.push(MBUS_SEQUENCE),
                    Err(Error::BufferFull { .. }) => f.diagnostics.push(TOO_LONG),
                    Err(e) => return Err(e),
                }
            }
            Link::Apdu => {}
        }
        Ok(())
    }

    /// General-block-transfer: keeps blocks until the last one; returns the APDU they carry.
    fn gbt_push(&mut self, f: &mut DlmsFrame<'_>, apdu: &[u8]) -> Result<Option<Vec<u8>>> {
        let block = crate::security::GeneralBlock::parse(apdu)?;
        if let Some(want) = self.gbt_next {
            if block.block_number != want {
                self.gbt.clear();
                self.gbt_next = None;
                f.diagnostics.push(GBT_SEQUENCE);
                return Ok(None);
            }
        }
        if self.gbt.len().saturating_add(block.data.len()) > self.max_apdu {
            self.gbt = Vec::new();
            self.gbt_next = None;
            f.diagnostics.push(TOO_LONG);
            return Ok(None);
        }
        // exact growth: the buffer never holds more than max_apdu bytes of capacity
        self.gbt.reserve_exact(block.data.len());
        self.gbt.extend_from_slice(block.data);
        if block.last_block {
            self.gbt_next = None;
            Ok(Some(core::mem::take(&mut self.gbt)))
        } else {
            self.gbt_next = Some(block.block_number.wrapping_add(1));
            f.partial = true;
            Ok(None)
        }
    }

    /// The APDU layer: GBT, AARQ/AARE titles, decryption.
    fn upper(&mut self, f: &mut DlmsFrame<'_>) -> Result<()> {
        let Some(bytes) = f.apdu.take() else {
            return Ok(());
        };
        match self.upper_apdu(f, bytes.as_slice()) {
            Ok(Some(full)) => {
                // the last general-block-transfer block: go on with the APDU the blocks carried
                f.partial = false;
                f.apdu = Some(Bytes::Owned(full));
                self.upper(f)
            }
            Ok(None) => {
                f.apdu = Some(bytes);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn upper_apdu(&mut self, f: &mut DlmsFrame<'_>, bytes: &[u8]) -> Result<Option<Vec<u8>>> {
        let apdu = Apdu::parse(bytes)?;
        match &apdu {
            Apdu::GeneralBlockTransfer(_) => return self.gbt_push(f, bytes),
            Apdu::Ciphered(c) => {
                let c = CipheredApdu::from_ciphered(c)?;
                let st = c.system_title.or_else(|| self.title_for(c.inner_tag));
                self.decrypt(f, &c, st)?;
            }
            Apdu::Aarq(a) => {
                self.client_title = a.calling_ap_title.and_then(|t| t.try_into().ok());
                self.decrypt_user_info(f, &a.user_information, |s, _| s.client_title)?;
            }
            Apdu::Aare(a) => {
                self.server_title = a.responding_ap_title.and_then(|t| t.try_into().ok());
                self.decrypt_user_info(f, &a.user_information, |s, _| s.server_title)?;
            }
            Apdu::Rlrq(r) | Apdu::Rlre(r) => {
                self.decrypt_user_info(f, &r.user_information, Self::title_for)?;
            }
            other => f.diagnostics.extend(other.diagnostics()),
        }
        Ok(None)
    }

    /// Decrypts a ciphered APDU carried in ACSE user-information; one without a system
    /// title of its own was sent by `sender` (given the framer and the inner APDU tag).
    fn decrypt_user_info(
        &mut self,
        f: &mut DlmsFrame<'_>,
        ui: &Option<UserInformation<'_>>,
        sender: impl FnOnce(&Self, Option<u8>) -> Option<[u8; 8]>,
    ) -> Result<()> {
        if let Some(UserInformation::Ciphered(u)) = ui {
            let c = CipheredApdu::parse(u.bytes())?;
            let st = c.system_title.or_else(|| sender(self, c.inner_tag));
            self.decrypt(f, &c, st)?;
        }
        Ok(())
    }

    /// The sender's system title of a service-specific APDU: requests come from the
    /// client (calling-AP-title of the AARQ), everything else from the server.
    fn title_for(&self, inner_tag: Option<u8>) -> Option<[u8; 8]> {
        let from_client = matches!(
            inner_tag,
            Some(0x01 | 0x05 | 0x06 | 0x16 | 0xC0 | 0xC1 | 0xC3)
        );
        let learned = if from_client {
            self.client_title
        } else {
            self.server_title
        };
        learned.or(self.system_title)
    }

    fn decrypt(
        &mut self,
        f: &mut DlmsFrame<'_>,
        c: &CipheredApdu<'_>,
        st: Option<[u8; 8]>,
    ) -> Result<()> {
        let Some(st) = st else {
            f.diagnostics.push(NO_TITLE);
            return Ok(());
        };
        let Some(keys) = self.keys.keys(&st) else {
            f.diagnostics.push(NO_KEY);
            return Ok(());
        };
        if c.security_control.is_authenticated()
            && keys.authentication().is_none()
            && self.tag_check == TagCheck::Verify
        {
            f.diagnostics.push(NO_AK);
            return Ok(());
        }
        if let Some(g) = &self.replay {
            g.check(&st, c.invocation_counter)?;
        }
        let n = c.plaintext_len();
        if self.scratch.len() < n {
            self.scratch.resize(n, 0);
        }
        let (plain, header, verification) =
            match decrypt_prepared(c, keys, Some(st), &mut self.scratch, self.tag_check) {
                Ok(r) => r,
                Err(
                    e @ (SecurityError::AuthenticationFailed
                    | SecurityError::Policy(_)
                    | SecurityError::Replay { .. }
                    | SecurityError::Decode(_)),
                ) => return Err(e.into()),
                // a key this ring does not hold, an unsupported suite or key-info
                Err(_) => {
                    f.diagnostics.push(NO_KEY);
                    return Ok(());
                }
            };
        let mut plain = plain.to_vec();
        let mut block_pending = false;
        if plain.first() == Some(&0xE0) {
            // ciphered general-block-transfer blocks: reassemble the plaintexts
            match self.gbt_push(f, &plain)? {
                Some(full) => plain = full,
                None => block_pending = true,
            }
        }
        match Apdu::parse(&plain) {
            _ if block_pending => {}
            Ok(inner) => f.diagnostics.extend(inner.diagnostics()),
            Err(_) if printable(&plain).is_some() => f.diagnostics.push(TEXT_PAYLOAD),
            Err(_) if verification == Verification::Verified => f.diagnostics.push(BINARY_PAYLOAD),
            Err(_) => {
                return Err(Error::PlaintextNotApdu {
                    tag: plain.first().copied().unwrap_or(0),
                });
            }
        }
        if verification == Verification::NotVerified {
            f.diagnostics.push(NOT_VERIFIED);
        }
        if let Some(g) = self.replay.as_mut() {
            g.accept(st, c.invocation_counter);
        }
        f.security = Some(header);
        f.verification = Some(verification);
        f.plaintext = Some(plain);
        Ok(())
    }

    fn finish<'a>(&mut self, mut f: DlmsFrame<'a>) -> Result<DlmsFrame<'a>> {
        self.link_apdu(&mut f)?;
        self.upper(&mut f)?;
        self.strictness.check(f.diagnostics.iter())?;
        Ok(f)
    }
}

impl<K: KeyRing> Framer for DlmsFramer<K> {
    type Frame<'a> = DlmsFrame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<DlmsFrame<'a>>> {
        let (link, consumed) = match self.transport {
            Transport::Hdlc => match self.hdlc.decode(input)? {
                Decoded::Frame { frame, consumed } => (Link::Hdlc(frame), consumed),
                Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
            },
            Transport::Wrapper => match WrapperFramer::new().decode(input)? {
                Decoded::Frame { frame, consumed } => (Link::Wrapper(frame), consumed),
                Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
            },
            Transport::Mbus => match MbusFramer::new().decode(input)? {
                Decoded::Frame { frame, consumed } => (Link::Mbus(frame), consumed),
                Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
            },
            Transport::Apdu => {
                if input.is_empty() {
                    return Ok(Decoded::Incomplete {
                        needed: Needed::at_least(1),
                    });
                }
                match Apdu::parse_prefix(input) {
                    Ok((_, used)) => {
                        let used = used.max(1);
                        let mut f = DlmsFrame::new(Link::Apdu);
                        f.apdu = Some(Bytes::Borrowed(input.get(..used).unwrap_or(input)));
                        let f = self.finish(f)?;
                        return Ok(Decoded::Frame {
                            frame: f,
                            consumed: used,
                        });
                    }
                    Err(Error::Core(meterwire_core::Error::Truncated { needed })) => {
                        return Ok(Decoded::Incomplete {
                            needed: Needed::at_least(needed),
                        });
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let f = self.finish(DlmsFrame::new(link))?;
        Ok(Decoded::Frame { frame: f, consumed })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        match self.transport {
            Transport::Hdlc => self.hdlc.resync(input),
            Transport::Wrapper => WrapperFramer::new().resync(input),
            Transport::Mbus => MbusFramer::new().resync(input),
            Transport::Apdu => input.len().max(1),
        }
    }
}
