//! The ACSE APDU view and the TCP/UDP framer.

use super::*;
use crate::ber::{self, Oid, Tlv};
use crate::error::{Error, Result, incomplete};
use meterwire_core::{Cursor, Decoded, Diagnostic, Diagnostics, Framer, Needed, Strictness};

/// A parsed C12.22 APDU (zero-copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Apdu<'a> {
    raw: &'a [u8],
    // element contents (the tag is fixed per field), for the EAX' canonification
    context: Option<&'a [u8]>,
    called_ap_title: Option<&'a [u8]>,
    called_ap_invocation_id: Option<&'a [u8]>,
    calling_ap_title: Option<&'a [u8]>,
    calling_ae_qualifier: Option<&'a [u8]>,
    calling_ap_invocation_id: Option<&'a [u8]>,
    mechanism_name: Option<&'a [u8]>,
    auth_value: Option<&'a [u8]>,
    /// Content length of user-information, and its BE tag+length size.
    ui_content_len: usize,
    ui_hdr_len: usize,
    /// BE header .. epsem control byte (for EAX' canonification).
    user_info_header: &'a [u8],
    epsem: Epsem<'a>,
    // parsed once, so accessors and the EAX' canonification do not parse again
    context_oid: Option<&'a [u8]>,
    called_title: Option<ApTitle<'a>>,
    calling_title: Option<ApTitle<'a>>,
    called_inv: Option<u32>,
    calling_inv: Option<u32>,
    ae_qualifier: Option<u32>,
    auth: Option<AuthValue<'a>>,
    /// Where the EAX' canonified header lies in `raw` when it is the bytes as sent
    /// rearranged (see [`CanonSplit`]).
    canon: Option<CanonSplit>,
    /// Departures found while parsing (bits of `flag`), and the last unknown tag.
    flags: u8,
    unknown_tag: u8,
}

/// The canonified header of a plainly encoded APDU (known elements only, short-form
/// lengths, absolute AP titles, a minimal user-information length) is three ranges
/// of the APDU as sent: `raw[start..a6.0]`, `raw[a6.1..ctrl_end]` (the elements after
/// the calling AP title and the user-information header up to the EPSEM control
/// byte), then the calling AP title `raw[a6.0..a6.1]` (empty when absent); the key id
/// and IV follow. EAX' then reads it in place instead of re-assembling ~20 pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CanonSplit {
    start: u32,
    a6: (u32, u32),
    ctrl_end: u32,
}

/// Bits of `Apdu::flags`.
mod flag {
    pub const UNKNOWN_ELEMENT: u8 = 0x01;
    pub const AFTER_USER_INFO: u8 = 0x02;
    pub const UNKNOWN_EXTERNAL: u8 = 0x04;
    pub const AFTER_EPSEM: u8 = 0x08;
}

meterwire_core::diagnostics! {
    /// Diagnostic: an ACSE element this crate does not know; skipped (not part of the
    /// EAX' canonified header).
    pub UNKNOWN_ELEMENT = Unrecognized, "acse element", "unknown element skipped";
    /// Diagnostic: elements after user-information (which C12.22 puts last).
    pub AFTER_USER_INFO = TrailingBytes, "apdu", "elements after user-information";
    /// Diagnostic: an element of the EXTERNAL before the EPSEM other than an OID or integer.
    pub UNKNOWN_EXTERNAL = Unrecognized, "user-information",
        "unknown element before the epsem skipped";
    /// Diagnostic: elements after the EPSEM inside user-information.
    pub AFTER_EPSEM = TrailingBytes, "user-information", "bytes after the epsem";
}

#[inline]
fn single_inner<'a>(t: &Tlv<'a>, field: &'static str) -> Result<Tlv<'a>> {
    let mut c = Cursor::new(t.content);
    let inner = ber::read_tlv(&mut c)?;
    if !c.is_empty() {
        return Err(Error::malformed(field, "more than one inner element"));
    }
    Ok(inner)
}

#[inline]
fn inner_uint(t: &Tlv<'_>, field: &'static str) -> Result<u32> {
    let inner = single_inner(t, field)?;
    if inner.tag != tag::INTEGER {
        return Err(Error::malformed(field, "expected an integer"));
    }
    ber::decode_uint(inner.content)
}

impl<'a> Apdu<'a> {
    /// Parses one complete APDU (`60 L ...`) leniently: unknown elements and bytes
    /// after the EPSEM are skipped and reported by [`Apdu::diagnostics`]. Bytes after
    /// the APDU, a length that contradicts the bytes, truncation and (for readable
    /// EPSEMs) a bad table checksum or a service cut short are errors. See
    /// [`Apdu::parser`] for strict mode.
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        Self::parse_inner(buf, true)
    }

    /// Parses the APDU without looking at the EPSEM services (for securing in place).
    #[cfg(feature = "crypto")]
    pub(crate) fn parse_envelope(buf: &'a [u8]) -> Result<Self> {
        Self::parse_inner(buf, false)
    }

    fn parse_inner(buf: &'a [u8], services: bool) -> Result<Self> {
        let mut outer = Cursor::new(buf);
        let top = ber::read_tlv(&mut outer)?;
        if top.tag != APDU_TAG {
            return Err(Error::malformed("apdu tag", "expected 0x60"));
        }
        if !outer.is_empty() {
            return Err(Error::length("apdu length", top.raw.len(), buf.len()));
        }
        let mut c = Cursor::new(top.content);
        let mut a = Apdu {
            raw: buf,
            context: None,
            called_ap_title: None,
            called_ap_invocation_id: None,
            calling_ap_title: None,
            calling_ae_qualifier: None,
            calling_ap_invocation_id: None,
            mechanism_name: None,
            auth_value: None,
            ui_content_len: 0,
            ui_hdr_len: 0,
            user_info_header: &[],
            epsem: Epsem { raw: &[] },
            context_oid: None,
            called_inv: None,
            calling_inv: None,
            ae_qualifier: None,
            called_title: None,
            calling_title: None,
            auth: None,
            canon: None,
            flags: 0,
            unknown_tag: 0,
        };
        let mut last = 0u8;
        let mut user_info = None;
        // offset of the first element in `buf`, and the canonified-header layout
        let base = top.raw.len().saturating_sub(top.content.len());
        let mut plain = true;
        let mut a6 = (0usize, 0usize);
        let mut ui_start = 0usize;
        while !c.is_empty() {
            let start = base.saturating_add(c.position());
            let t = ber::read_tlv(&mut c)?;
            if user_info.is_some() {
                a.flags |= flag::AFTER_USER_INFO;
                continue;
            }
            if !KNOWN_TAGS.contains(&t.tag) {
                a.flags |= flag::UNKNOWN_ELEMENT;
                a.unknown_tag = t.tag;
                plain = false;
                continue;
            }
            // user-information is checked below (its length is rewritten minimal)
            if t.tag != tag::USER_INFORMATION && t.raw.len() != t.content.len().saturating_add(2) {
                plain = false;
            }
            let order = t.tag & 0x1F;
            if order <= last {
                return Err(Error::malformed(
                    "apdu element",
                    "elements out of order or repeated",
                ));
            }
            last = order;
            match t.tag {
                tag::CONTEXT => {
                    let i = single_inner(&t, "application context")?;
                    if i.tag != tag::OID {
                        return Err(Error::malformed("application context", "expected an oid"));
                    }
                    ber::check_oid(i.content, false)?;
                    a.context_oid = Some(i.content);
                    a.context = Some(t.content);
                }
                tag::CALLED_AP_TITLE => {
                    a.called_title =
                        Some(ApTitle::from_tlv(&single_inner(&t, "called ap title")?)?);
                    a.called_ap_title = Some(t.content);
                }
                tag::CALLED_AP_INVOCATION_ID => {
                    a.called_inv = Some(inner_uint(&t, "called ap invocation id")?);
                    a.called_ap_invocation_id = Some(t.content);
                }
                tag::CALLING_AP_TITLE => {
                    a.calling_title =
                        Some(ApTitle::from_tlv(&single_inner(&t, "calling ap title")?)?);
                    a.calling_ap_title = Some(t.content);
                    a6 = (start, start.saturating_add(t.raw.len()));
                }
                tag::CALLING_AE_QUALIFIER => {
                    a.ae_qualifier = Some(inner_uint(&t, "calling ae qualifier")?);
                    a.calling_ae_qualifier = Some(t.content);
                }
                tag::CALLING_AP_INVOCATION_ID => {
                    a.calling_inv = Some(inner_uint(&t, "calling ap invocation id")?);
                    a.calling_ap_invocation_id = Some(t.content);
                }
                tag::MECHANISM_NAME => {
                    ber::check_oid(t.content, false)?;
                    a.mechanism_name = Some(t.content);
                }
                tag::CALLING_AUTH_VALUE => {
                    a.auth = Some(AuthValue::parse(t.content)?);
                    a.auth_value = Some(t.content);
                }
                _ => {
                    ui_start = start;
                    user_info = Some(t);
                }
            }
        }
        let ui = user_info.ok_or_else(|| Error::malformed("user-information", "missing"))?;
        // BE L1 28 L2 [other elements] 81 L3 <epsem>
        let ext = single_inner(&ui, "user-information")?;
        if ext.tag != 0x28 {
            return Err(Error::malformed(
                "user-information",
                "expected external (0x28)",
            ));
        }
        let mut ec = Cursor::new(ext.content);
        let epsem_tlv = loop {
            if ec.is_empty() {
                return Err(Error::malformed(
                    "user-information",
                    "expected octet-aligned epsem (0x81)",
                ));
            }
            let t = ber::read_tlv(&mut ec)?;
            if t.tag == 0x81 {
                break t;
            }
            if !matches!(t.tag, 0x02 | 0x06) {
                a.flags |= flag::UNKNOWN_EXTERNAL;
            }
        };
        if !ec.is_empty() {
            a.flags |= flag::AFTER_EPSEM;
        }
        let epsem = if services {
            Epsem::new_checked(epsem_tlv.content)?
        } else {
            Epsem::new_envelope(epsem_tlv.content)?
        };
        // header = from BE up to and including the epsem control byte; ext.content
        // ends where ui.raw ends, and the epsem content ends at ec's position
        let ctrl_pos = ui
            .raw
            .len()
            .saturating_sub(ext.content.len())
            .saturating_add(ec.position())
            .saturating_sub(epsem_tlv.content.len());
        a.user_info_header = ui.raw.get(..=ctrl_pos).unwrap_or(&[]);
        a.ui_content_len = ui.content.len();
        a.ui_hdr_len = ui.raw.len().saturating_sub(ui.content.len());
        a.epsem = epsem;
        let relative = |t: Option<ApTitle<'_>>| t.is_some_and(|t| t.is_relative());
        if plain
            && !relative(a.called_title)
            && !relative(a.calling_title)
            && a.ui_hdr_len == ber::length_len(a.ui_content_len).saturating_add(1)
        {
            let ctrl_end = ui_start.saturating_add(ctrl_pos).saturating_add(1);
            if a6 == (0, 0) {
                a6 = (ctrl_end, ctrl_end);
            }
            let n = |x: usize| u32::try_from(x).ok();
            if let (Some(start), Some(s6), Some(e6), Some(ctrl_end)) =
                (n(base), n(a6.0), n(a6.1), n(ctrl_end))
            {
                a.canon = Some(CanonSplit {
                    start,
                    a6: (s6, e6),
                    ctrl_end,
                });
            }
        }
        Ok(a)
    }

    /// A parser with options (strict mode).
    pub const fn parser() -> ApduParser {
        ApduParser {
            strictness: Strictness::Lenient,
        }
    }

    /// The departures from the standard: unknown or misplaced ACSE elements, and for
    /// a readable EPSEM those of its services (see [`Epsem::diagnostics`]).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<> {
        let f = self.flags;
        let tag = self.unknown_tag;
        let apdu = [
            (flag::UNKNOWN_ELEMENT, UNKNOWN_ELEMENT),
            (flag::AFTER_USER_INFO, AFTER_USER_INFO),
            (flag::UNKNOWN_EXTERNAL, UNKNOWN_EXTERNAL),
            (flag::AFTER_EPSEM, AFTER_EPSEM),
        ]
        .into_iter()
        .filter(move |(b, _)| f & b != 0)
        .map(move |(b, d)| {
            if b == flag::UNKNOWN_ELEMENT {
                Diagnostic {
                    value: Some(u64::from(tag)),
                    ..d
                }
            } else {
                d
            }
        });
        apdu.chain(owned(self.epsem.diagnostics()))
    }

    /// The whole APDU.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }
    /// Application context OID (content octets) of `A1`.
    pub fn context(&self) -> Option<Oid<'a>> {
        Some(Oid::from_parts(self.context_oid?, false))
    }
    /// Called AP title (`A2`).
    pub fn called_ap_title(&self) -> Option<ApTitle<'a>> {
        self.called_title
    }
    /// Calling AP title (`A6`).
    pub fn calling_ap_title(&self) -> Option<ApTitle<'a>> {
        self.calling_title
    }
    /// Called AP invocation id (`A4`).
    pub fn called_ap_invocation_id(&self) -> Option<u32> {
        self.called_inv
    }
    /// Calling AP invocation id (`A8`).
    pub fn calling_ap_invocation_id(&self) -> Option<u32> {
        self.calling_inv
    }
    /// Calling AE qualifier (`A7`), see [`ae_qualifier`].
    pub fn calling_ae_qualifier(&self) -> Option<u32> {
        self.ae_qualifier
    }
    /// Mechanism name (`8B`).
    pub fn mechanism_name(&self) -> Option<Oid<'a>> {
        Some(Oid::from_parts(self.mechanism_name?, false))
    }
    /// Calling authentication value (`AC`).
    pub fn auth_value(&self) -> Option<AuthValue<'a>> {
        self.auth
    }
    /// The EPSEM.
    pub fn epsem(&self) -> Epsem<'a> {
        self.epsem
    }

    /// Writes the EAX' canonified cleartext `N` (see [`Apdu::canonified_cleartext`])
    /// into `out`; `None` when it does not fit.
    pub fn canonified_into(&self, base_oid: &[u8], out: &mut [u8]) -> Option<usize> {
        if let Some(parts) = self.canonified_parts() {
            let mut pos = 0usize;
            for p in parts {
                let end = pos.saturating_add(p.len());
                out.get_mut(pos..end)?.copy_from_slice(p);
                pos = end;
            }
            return Some(pos);
        }
        let mut pos = 0usize;
        let mut ok = true;
        self.canonify(base_oid, &mut |b: &[u8]| {
            let end = pos.saturating_add(b.len());
            match out.get_mut(pos..end) {
                // tags and lengths are 1-2 bytes: a memcpy call each cost more than the copy
                Some(d) if ok && b.len() <= 2 => {
                    for (x, y) in d.iter_mut().zip(b) {
                        *x = *y;
                    }
                    pos = end;
                }
                Some(d) if ok => {
                    d.copy_from_slice(b);
                    pos = end;
                }
                _ => ok = false,
            }
        });
        ok.then_some(pos)
    }

    /// The canonified cleartext `N` as five slices of the APDU as sent, when it is
    /// plainly encoded (see [`CanonSplit`]); `None` otherwise.
    #[inline]
    pub(crate) fn canonified_parts(&self) -> Option<[&[u8]; 5]> {
        let s = self.canon?;
        let r = |a: u32, b: u32| self.raw.get(a as usize..b as usize);
        let (key_id, iv): (&[u8], &[u8]) = match self.auth.as_ref() {
            Some(av) => (core::slice::from_ref(&av.key_id), av.iv),
            None => (&[], &[]),
        };
        Some([
            r(s.start, s.a6.0)?,
            r(s.a6.1, s.ctrl_end)?,
            r(s.a6.0, s.a6.1)?,
            key_id,
            iv,
        ])
    }

    /// Feeds the EAX' canonified cleartext `N` (C12.22 Annex I / fact sheet step 1) to `sink`
    /// in pieces: `A1? A2 A4? A7? A8 8B? AC?`, the user-information headers up to the
    /// EPSEM control byte, `A6?`, the key id and the IV. Relative AP titles are
    /// converted to absolute ones under `base_oid` (content octets; may be empty), as
    /// Wireshark does.
    pub fn canonified_cleartext(&self, base_oid: &[u8], sink: &mut dyn FnMut(&[u8])) {
        self.canonify(base_oid, sink);
    }

    /// [`Apdu::canonified_cleartext`] with a generic sink (inlined, no dynamic call per
    /// piece).
    #[inline]
    pub(crate) fn canonify<S: FnMut(&[u8]) + ?Sized>(&self, base_oid: &[u8], sink: &mut S) {
        #[inline(always)]
        fn emit_plain<S: FnMut(&[u8]) + ?Sized>(sink: &mut S, tag: u8, content: Option<&[u8]>) {
            if let Some(c) = content {
                match u8::try_from(c.len()) {
                    // short form: tag and length in one piece (every real header element)
                    Ok(l) if l < 0x80 => sink(&[tag, l]),
                    _ => {
                        let (l, n) = ber::length_bytes(c.len()).unwrap_or_default();
                        sink(&[tag]);
                        sink(l.get(..n).unwrap_or(&[]));
                    }
                }
                sink(c);
            }
        }
        let emit_title =
            |sink: &mut S, tag: u8, content: Option<&[u8]>, title: Option<ApTitle<'_>>| match (
                content, title,
            ) {
                (Some(_), Some(ApTitle::Relative(rel))) => {
                    let oid_len = base_oid.len().saturating_add(rel.len());
                    let inner_len = ber::tlv_len(oid_len);
                    sink(&[tag]);
                    let (l, n) = ber::length_bytes(inner_len).unwrap_or_default();
                    sink(l.get(..n).unwrap_or(&[]));
                    sink(&[tag::OID]);
                    let (l, n) = ber::length_bytes(oid_len).unwrap_or_default();
                    sink(l.get(..n).unwrap_or(&[]));
                    sink(base_oid);
                    sink(rel);
                }
                _ => emit_plain(sink, tag, content),
            };
        emit_plain(sink, tag::CONTEXT, self.context);
        emit_title(
            sink,
            tag::CALLED_AP_TITLE,
            self.called_ap_title,
            self.called_title,
        );
        emit_plain(
            sink,
            tag::CALLED_AP_INVOCATION_ID,
            self.called_ap_invocation_id,
        );
        emit_plain(sink, tag::CALLING_AE_QUALIFIER, self.calling_ae_qualifier);
        emit_plain(
            sink,
            tag::CALLING_AP_INVOCATION_ID,
            self.calling_ap_invocation_id,
        );
        emit_plain(sink, tag::MECHANISM_NAME, self.mechanism_name);
        emit_plain(sink, tag::CALLING_AUTH_VALUE, self.auth_value);
        // user information header: re-emit the BE tag with a minimal length, then as sent
        sink(&[tag::USER_INFORMATION]);
        let (l, n) = ber::length_bytes(self.ui_content_len).unwrap_or_default();
        sink(l.get(..n).unwrap_or(&[]));
        sink(self.user_info_header.get(self.ui_hdr_len..).unwrap_or(&[]));
        emit_title(
            sink,
            tag::CALLING_AP_TITLE,
            self.calling_ap_title,
            self.calling_title,
        );
        if let Some(av) = self.auth {
            sink(&[av.key_id]);
            sink(av.iv);
        }
    }
}

/// Element tags [`Apdu::parse`] knows.
const KNOWN_TAGS: [u8; 9] = [
    tag::CONTEXT,
    tag::CALLED_AP_TITLE,
    tag::CALLED_AP_INVOCATION_ID,
    tag::CALLING_AP_TITLE,
    tag::CALLING_AE_QUALIFIER,
    tag::CALLING_AP_INVOCATION_ID,
    tag::MECHANISM_NAME,
    tag::CALLING_AUTH_VALUE,
    tag::USER_INFORMATION,
];

/// Parses APDUs with options: `Apdu::parser().strict().parse(buf)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApduParser {
    strictness: Strictness,
}

impl ApduParser {
    meterwire_core::strictness_builders!(strictness);
    /// Parses one complete APDU.
    pub fn parse<'a>(&self, buf: &'a [u8]) -> Result<Apdu<'a>> {
        let a = Apdu::parse(buf)?;
        check(self.strictness, a.diagnostics())?;
        Ok(a)
    }
}

/// A fixed list as an owning iterator.
pub(crate) fn owned<const N: usize>(d: Diagnostics<N>) -> impl Iterator<Item = Diagnostic> {
    (0..d.len()).filter_map(move |i| d.iter().nth(i).copied())
}

/// In strict mode, the first diagnostic as an error.
pub(crate) fn check(s: Strictness, mut d: impl Iterator<Item = Diagnostic>) -> Result<()> {
    if s.is_strict() {
        if let Some(d) = d.next() {
            return Err(meterwire_core::Error::Nonconforming(d).into());
        }
    }
    Ok(())
}

/// Streaming framer for C12.22 over TCP: each APDU is cut by its `60 <BER length>`
/// header. Works for UDP datagrams too (one APDU each).
#[derive(Debug, Clone)]
pub struct ApduFramer {
    /// Length of the last complete `60 len` frame whose contents failed to parse: the
    /// TCP framing is length driven, so resync skips the whole APDU rather than
    /// searching for a 0x60 inside it.
    bad_frame_len: Option<usize>,
    strictness: Strictness,
    max_len: usize,
}

impl Default for ApduFramer {
    fn default() -> Self {
        Self::new()
    }
}

impl ApduFramer {
    /// A new (lenient) framer accepting APDUs of up to [`MAX_APDU_LEN`] bytes.
    pub fn new() -> Self {
        ApduFramer {
            bad_frame_len: None,
            strictness: Strictness::Lenient,
            max_len: MAX_APDU_LEN,
        }
    }
    /// The largest APDU content length accepted (at most [`MAX_APDU_LEN`]): a header
    /// announcing more is a `length` error at once, so a stream of huge length fields
    /// never makes a reader buffer more than this.
    pub fn max_apdu_len(mut self, n: usize) -> Self {
        self.max_len = n.min(MAX_APDU_LEN);
        self
    }
    meterwire_core::strictness_builders!(non_const strictness);
}

/// The largest APDU the framer accepts (C12.22 messages are far smaller).
pub const MAX_APDU_LEN: usize = 1 << 20;

impl Framer for ApduFramer {
    type Frame<'a> = Apdu<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Apdu<'a>>> {
        let Some(&first) = input.first() else {
            return incomplete(Needed::at_least(1));
        };
        if first != APDU_TAG {
            return Err(Error::malformed("apdu tag", "expected 0x60"));
        }
        let Some(&l0) = input.get(1) else {
            return incomplete(Needed::at_least(1));
        };
        let hdr = if l0 < 0x80 {
            2usize
        } else {
            let n = usize::from(l0 & 0x7F);
            if n == 0 || n > 4 {
                return Err(Error::malformed(
                    "apdu length",
                    "definite length of 1 to 4 bytes",
                ));
            }
            n.saturating_add(2)
        };
        if input.len() < hdr {
            return incomplete(Needed::exact(hdr.saturating_sub(input.len())));
        }
        let mut c = Cursor::new(input.get(1..).unwrap_or(&[]));
        let len = ber::read_length(&mut c)?;
        if len > self.max_len {
            return Err(Error::length("apdu length", self.max_len, len));
        }
        let total = hdr.saturating_add(len);
        match input.get(..total) {
            None => incomplete(Needed::exact(total.saturating_sub(input.len()))),
            Some(frame) => match Apdu::parser().strictness(self.strictness).parse(frame) {
                Ok(apdu) => Ok(Decoded::Frame {
                    frame: apdu,
                    consumed: total,
                }),
                Err(e) => {
                    self.bad_frame_len = Some(total);
                    Err(e)
                }
            },
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        if let Some(n) = self.bad_frame_len.take() {
            return n.clamp(1, input.len().max(1));
        }
        input
            .iter()
            .skip(1)
            .position(|&b| b == APDU_TAG)
            .map_or(input.len(), |p| p.saturating_add(1))
            .max(1)
    }
}
