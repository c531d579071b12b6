//! ANSI C12.19 utility industry end device data tables (C12.19-1997 / -2008).
//!
//! Table ids on the wire are u16 big endian: bits 0-10 the number, bit 11 a
//! manufacturer table, bit 12 a pending table.

use core::fmt;

/// A table id as carried by PSEM reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct TableId(pub u16);

impl TableId {
    /// Manufacturer bit.
    pub const MFG: u16 = 0x0800;
    /// Pending bit.
    pub const PENDING: u16 = 0x1000;

    /// A standard table.
    pub const fn standard(number: u16) -> Self {
        TableId(number & 0x07FF)
    }
    /// A manufacturer table (MT number).
    pub const fn manufacturer(number: u16) -> Self {
        TableId((number & 0x07FF) | Self::MFG)
    }
    /// The table number (0..=2047).
    pub const fn number(self) -> u16 {
        self.0 & 0x07FF
    }
    /// A manufacturer table.
    pub const fn is_manufacturer(self) -> bool {
        self.0 & Self::MFG != 0
    }
    /// A pending table.
    pub const fn is_pending(self) -> bool {
        self.0 & Self::PENDING != 0
    }
}

impl fmt::Display for TableId {
    /// `ST0`, `MT64`, `pending ST7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_pending() {
            f.write_str("pending ")?;
        }
        let kind = if self.is_manufacturer() { "MT" } else { "ST" };
        write!(f, "{kind}{}", self.number())
    }
}

use crate::error::{Error, Result};
use meterwire_core::{Cursor, Encode, EncodeError, Writer};

/// Byte order of multi-byte table values (ST0 `FORMAT_CONTROL_1.DATA_ORDER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ByteOrder {
    /// 0: least significant byte first (the usual case).
    #[default]
    Little,
    /// 1: most significant byte first.
    Big,
}

impl ByteOrder {
    fn read_uint(self, c: &mut Cursor<'_>, n: usize) -> Result<u64> {
        Ok(match self {
            ByteOrder::Little => c.read_uint_le(n)?,
            ByteOrder::Big => c.read_uint_be(n)?,
        })
    }
    fn read_u16(self, c: &mut Cursor<'_>) -> Result<u16> {
        Ok(match self {
            ByteOrder::Little => c.read_u16_le()?,
            ByteOrder::Big => c.read_u16_be()?,
        })
    }
}

/// What a table decoder needs to know from ST0 (and ST21 for ST23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableContext {
    /// Byte order of integers.
    pub byte_order: ByteOrder,
    /// Character format code (1 ISO 646, 2 ISO 8859/1, ...).
    pub char_format: u8,
    /// Time format code (0 none, 1 BCD, 2 UINT8, 3 UINT32 minutes, 4 UINT32 seconds).
    pub tm_format: u8,
    /// Data access method.
    pub data_access_method: u8,
    /// Identifiers are BCD (`ID_FORM` = 1) rather than characters.
    pub id_form_bcd: bool,
    /// Signed integer format code.
    pub int_format: u8,
    /// Non-integer format 1.
    pub ni_format1: u8,
    /// Non-integer format 2.
    pub ni_format2: u8,
    /// Bytes of manufacturer status in ST3.
    pub dim_mfg_status_used: u8,
    /// ST21, when known (needed for ST23).
    pub act_regs: Option<ActRegs>,
}

/// ST0 GEN_CONFIG_TBL (C12.19 clause 9.1.1). Fixed part is 19 bytes, then six bit sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct St0<'a> {
    raw: &'a [u8],
}

/// Length of the fixed part of ST0.
pub const ST0_FIXED_LEN: usize = 19;

/// Ids whose bit is set in a C12.19 SET (bit i of byte p = id 8p+i).
pub fn set_members(set: &[u8]) -> impl Iterator<Item = u16> + '_ {
    set.iter().enumerate().flat_map(|(p, &b)| {
        (0u16..8)
            .filter(move |i| b & (1u8 << i) != 0)
            .map(move |i| {
                u16::try_from(p)
                    .unwrap_or(u16::MAX)
                    .saturating_mul(8)
                    .saturating_add(i)
            })
    })
}

/// Accessors for one-byte fields of ST0's fixed part, one per line: the doc
/// comment, then `name = offset;`.
macro_rules! fixed_bytes {
    ($($(#[$m:meta])* $name:ident = $offset:literal;)*) => {
        $(
            $(#[$m])*
            pub fn $name(&self) -> u8 {
                self.b($offset)
            }
        )*
    };
}

impl<'a> St0<'a> {
    /// Checks the fixed part and that the six sets fit.
    pub fn parse(raw: &'a [u8]) -> Result<Self> {
        if raw.len() < ST0_FIXED_LEN {
            return Err(Error::truncated(ST0_FIXED_LEN.saturating_sub(raw.len())));
        }
        let s = St0 { raw };
        let need = ST0_FIXED_LEN.saturating_add(s.sets_len());
        if raw.len() < need {
            return Err(Error::truncated(need.saturating_sub(raw.len())));
        }
        Ok(s)
    }
    fn b(&self, i: usize) -> u8 {
        self.raw.get(i).copied().unwrap_or(0)
    }
    fn sets_len(&self) -> usize {
        let d = |i| usize::from(self.b(i));
        d(13)
            .saturating_mul(2)
            .saturating_add(d(14).saturating_mul(2))
            .saturating_add(d(15))
            .saturating_add(d(16))
    }
    fixed_bytes! {
        /// FORMAT_CONTROL_1.
        format_control_1 = 0;
        /// FORMAT_CONTROL_2.
        format_control_2 = 1;
        /// FORMAT_CONTROL_3.
        format_control_3 = 2;
    }
    /// Byte order.
    pub fn byte_order(&self) -> ByteOrder {
        if self.b(0) & 1 != 0 {
            ByteOrder::Big
        } else {
            ByteOrder::Little
        }
    }
    /// Character format (bits 1-3 of FORMAT_CONTROL_1).
    pub fn char_format(&self) -> u8 {
        (self.b(0) >> 1) & 7
    }
    /// Time format (bits 0-2 of FORMAT_CONTROL_2).
    pub fn tm_format(&self) -> u8 {
        self.b(1) & 7
    }
    /// Data access method (bits 3-4).
    pub fn data_access_method(&self) -> u8 {
        (self.b(1) >> 3) & 3
    }
    /// `ID_FORM` (bit 5): identifiers in BCD.
    pub fn id_form_bcd(&self) -> bool {
        self.b(1) & 0x20 != 0
    }
    /// Integer format (bits 6-7).
    pub fn int_format(&self) -> u8 {
        self.b(1) >> 6
    }
    /// NI_FORMAT1 (low nibble of FORMAT_CONTROL_3).
    pub fn ni_format1(&self) -> u8 {
        self.b(2) & 0x0F
    }
    /// NI_FORMAT2 (high nibble).
    pub fn ni_format2(&self) -> u8 {
        self.b(2) >> 4
    }
    /// DEVICE_CLASS / manufacturer code, 4 bytes.
    pub fn device_class(&self) -> &'a [u8] {
        self.raw.get(3..7).unwrap_or(&[])
    }
    fixed_bytes! {
        /// NAMEPLATE_TYPE (0 gas, 1 water, 2 electric).
        nameplate_type = 7;
        /// DEFAULT_SET_USED.
        default_set_used = 8;
        /// MAX_PROC_PARM_LENGTH.
        max_proc_parm_length = 9;
        /// MAX_RESP_DATA_LEN.
        max_resp_data_len = 10;
        /// STD_VERSION_NO.
        std_version_no = 11;
        /// STD_REVISION_NO.
        std_revision_no = 12;
        /// DIM_STD_TBLS_USED.
        dim_std_tbls_used = 13;
        /// DIM_MFG_TBLS_USED.
        dim_mfg_tbls_used = 14;
        /// DIM_STD_PROC_USED.
        dim_std_proc_used = 15;
        /// DIM_MFG_PROC_USED.
        dim_mfg_proc_used = 16;
        /// DIM_MFG_STATUS_USED.
        dim_mfg_status_used = 17;
        /// NBR_PENDING.
        nbr_pending = 18;
    }
    fn set(&self, index: usize) -> &'a [u8] {
        let dims = [
            self.dim_std_tbls_used(),
            self.dim_mfg_tbls_used(),
            self.dim_std_proc_used(),
            self.dim_mfg_proc_used(),
            self.dim_std_tbls_used(),
            self.dim_mfg_tbls_used(),
        ];
        let start = dims
            .iter()
            .take(index)
            .fold(ST0_FIXED_LEN, |a, &d| a.saturating_add(usize::from(d)));
        let len = usize::from(dims.get(index).copied().unwrap_or(0));
        self.raw
            .get(start..start.saturating_add(len))
            .unwrap_or(&[])
    }
    /// STD_TBLS_USED.
    pub fn std_tbls_used(&self) -> impl Iterator<Item = u16> + 'a {
        set_members(self.set(0))
    }
    /// MFG_TBLS_USED.
    pub fn mfg_tbls_used(&self) -> impl Iterator<Item = u16> + 'a {
        set_members(self.set(1))
    }
    /// STD_PROC_USED.
    pub fn std_proc_used(&self) -> impl Iterator<Item = u16> + 'a {
        set_members(self.set(2))
    }
    /// MFG_PROC_USED.
    pub fn mfg_proc_used(&self) -> impl Iterator<Item = u16> + 'a {
        set_members(self.set(3))
    }
    /// STD_TBLS_WRITE.
    pub fn std_tbls_write(&self) -> impl Iterator<Item = u16> + 'a {
        set_members(self.set(4))
    }
    /// MFG_TBLS_WRITE.
    pub fn mfg_tbls_write(&self) -> impl Iterator<Item = u16> + 'a {
        set_members(self.set(5))
    }
    /// The decoding context this ST0 defines.
    pub fn context(&self) -> TableContext {
        TableContext {
            byte_order: self.byte_order(),
            char_format: self.char_format(),
            tm_format: self.tm_format(),
            data_access_method: self.data_access_method(),
            id_form_bcd: self.id_form_bcd(),
            int_format: self.int_format(),
            ni_format1: self.ni_format1(),
            ni_format2: self.ni_format2(),
            dim_mfg_status_used: self.dim_mfg_status_used(),
            act_regs: None,
        }
    }
}

/// A fixed-layout table: the struct and its `parse` from one list of fields in
/// wire order, each with the expression that reads it from the cursor `c` (the
/// table) under the decoding context `ctx`; `let`s after `parse(c, ctx)` read
/// what several fields share before them.
macro_rules! table_record {
    (
        $(#[$m:meta])*
        pub struct $T:ident<'a> {
            $( $(#[$fm:meta])* pub $f:ident: $t:ty = $read:expr, )*
        }
        $(#[$pm:meta])*
        parse($c:ident, $ctx:ident) $(let $p:pat_param = $e:expr;)*
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $T<'a> {
            $( $(#[$fm])* pub $f: $t, )*
        }

        impl<'a> $T<'a> {
            $(#[$pm])*
            pub fn parse(raw: &'a [u8], $ctx: &TableContext) -> Result<Self> {
                let mut $c = Cursor::new(raw);
                $( let $p = $e; )*
                Ok($T { $( $f: $read, )* })
            }
        }
    };
}

table_record! {
    /// ST1 GENERAL_MFG_ID_TBL (clause 9.1.2): 32 bytes (24 with BCD identifiers).
    pub struct St1<'a> {
        /// MANUFACTURER `char[4]`.
        pub manufacturer: &'a [u8] = c.take(4)?,
        /// ED_MODEL `char[8]`.
        pub ed_model: &'a [u8] = c.take(8)?,
        /// HW_VERSION_NUMBER.
        pub hw_version_number: u8 = c.read_u8()?,
        /// HW_REVISION_NUMBER.
        pub hw_revision_number: u8 = c.read_u8()?,
        /// FW_VERSION_NUMBER.
        pub fw_version_number: u8 = c.read_u8()?,
        /// FW_REVISION_NUMBER.
        pub fw_revision_number: u8 = c.read_u8()?,
        /// MFG_SERIAL_NUMBER: `char[16]`, or `BCD[8]` when `ID_FORM` is BCD.
        pub mfg_serial_number: &'a [u8] = c.take(if ctx.id_form_bcd { 8 } else { 16 })?,
    }
    /// Parses ST1.
    parse(c, ctx)
}

table_record! {
    /// ST3 ED_MODE_STATUS_TBL (clause 9.1.4).
    pub struct St3<'a> {
        /// ED_MODE bit field (bit 0 metering, 1 test mode, 2 meter shop mode, 3 factory).
        pub ed_mode: u8 = c.read_u8()?,
        /// ED_STD_STATUS1 bit field (bit 0 unprogrammed, 1 configuration error, 2 self check
        /// error, 3 RAM failure, 4 ROM failure, 5 non-volatile memory failure, 6 clock error,
        /// 7 measurement error, 8 low battery, 9 low loss potential, 10 demand overload,
        /// 11 power failure, 12 tamper detect, 13 reverse rotation).
        pub ed_std_status1: u16 = ctx.byte_order.read_u16(&mut c)?,
        /// ED_STD_STATUS2 bit field.
        pub ed_std_status2: u8 = c.read_u8()?,
        /// ED_MFG_STATUS set, `DIM_MFG_STATUS_USED` bytes.
        pub ed_mfg_status: &'a [u8] = c.take(usize::from(ctx.dim_mfg_status_used))?,
    }
    /// Parses ST3.
    parse(c, ctx)
}

/// ST5 DEVICE_IDENT_TBL: `char[20]`, or `BCD[10]` with BCD identifiers.
pub fn st5_identification<'a>(raw: &'a [u8], ctx: &TableContext) -> Result<&'a [u8]> {
    Ok(Cursor::new(raw).take(if ctx.id_form_bcd { 10 } else { 20 })?)
}

/// Procedure response selector of ST7 (bits 12-15 of TBL_PROC_NBR).
pub mod selector {
    /// Post the response in ST8 on completion.
    pub const ON_COMPLETION: u8 = 0;
    /// Post the response in ST8 on exception.
    pub const ON_EXCEPTION: u8 = 1;
    /// Do not post a response in ST8.
    pub const NONE: u8 = 2;
    /// Post now and on completion.
    pub const NOW_AND_ON_COMPLETION: u8 = 3;
}

fn proc_word(proc_nbr: u16, mfg: bool, selector: u8) -> u16 {
    (proc_nbr & 0x07FF) | if mfg { 0x0800 } else { 0 } | (u16::from(selector & 0x0F) << 12)
}

/// Reads TBL_PROC_NBR: the procedure number, the manufacturer flag and the selector.
fn read_proc_word(c: &mut Cursor<'_>, order: ByteOrder) -> Result<(u16, bool, u8)> {
    let w = order.read_u16(c)?;
    Ok((
        w & 0x07FF,
        w & 0x0800 != 0,
        u8::try_from(w >> 12).unwrap_or(0),
    ))
}

table_record! {
    /// ST7 PROC_INITIATE_TBL (clause 9.1.8): a procedure request, for parsing and encoding.
    pub struct ProcedureRequest<'a> {
        /// Procedure number (11 bits).
        pub proc_nbr: u16 = proc_nbr,
        /// Manufacturer procedure.
        pub mfg: bool = mfg,
        /// Response selector (4 bits, see [`selector`]).
        pub selector: u8 = selector,
        /// Sequence number echoed in ST8.
        pub seq_nbr: u8 = c.read_u8()?,
        /// Parameters.
        pub params: &'a [u8] = c.take_rest(),
        /// Byte order of TBL_PROC_NBR (from ST0).
        pub byte_order: ByteOrder = ctx.byte_order,
    }
    /// Parses ST7 contents.
    parse(c, ctx) let (proc_nbr, mfg, selector) = read_proc_word(&mut c, ctx.byte_order)?;
}

impl<'a> ProcedureRequest<'a> {
    /// A standard procedure request (e.g. SP 9 remote reset, SP 10 set date/time).
    pub fn standard(proc_nbr: u16, seq_nbr: u8, params: &'a [u8]) -> Self {
        ProcedureRequest {
            proc_nbr,
            mfg: false,
            selector: selector::ON_COMPLETION,
            seq_nbr,
            params,
            byte_order: ByteOrder::Little,
        }
    }
}

impl Encode for ProcedureRequest<'_> {
    fn encoded_len(&self) -> usize {
        self.params.len().saturating_add(3)
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        if self.proc_nbr > 0x07FF || self.selector > 0x0F {
            return Err(EncodeError::Invalid {
                field: "tbl_proc_nbr",
                reason: "procedure number 11 bits, selector 4 bits",
            });
        }
        let word = proc_word(self.proc_nbr, self.mfg, self.selector);
        let mut w = Writer::new(out);
        match self.byte_order {
            ByteOrder::Little => w.write_u16_le(word)?,
            ByteOrder::Big => w.write_u16_be(word)?,
        }
        w.write_u8(self.seq_nbr)?;
        w.write_bytes(self.params)?;
        Ok(w.position())
    }
}

table_record! {
    /// ST8 PROC_RESPONSE_TBL (clause 9.1.9).
    pub struct ProcedureResponse<'a> {
        /// Procedure number.
        pub proc_nbr: u16 = proc_nbr,
        /// Manufacturer procedure.
        pub mfg: bool = mfg,
        /// Sequence number of the request.
        pub seq_nbr: u8 = c.read_u8()?,
        /// RESULT_CODE: 0 completed, 1 not fully completed, 2 invalid parameter, 3 device
        /// setup conflict, 4 timing constraint, 5 no authorization, 6 unrecognized procedure.
        pub result_code: u8 = c.read_u8()?,
        /// Response data.
        pub resp_data: &'a [u8] = c.take_rest(),
    }
    /// Parses ST8 contents.
    parse(c, ctx) let (proc_nbr, mfg, _) = read_proc_word(&mut c, ctx.byte_order)?;
}

/// ST21 ACT_REGS_TBL (clause 9.3.2): the dimensions of the register tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActRegs {
    /// REG_FUNC1_BFLD: bit 0 season info, 1 date/time field, 2 demand reset counter,
    /// 3 demand reset lock, 4 cumulative demand, 5 continuous cumulative demand, 6 time remaining.
    pub reg_func1: u8,
    /// REG_FUNC2_BFLD.
    pub reg_func2: u8,
    /// NBR_SELF_READS.
    pub nbr_self_reads: u8,
    /// NBR_SUMMATIONS.
    pub nbr_summations: u8,
    /// NBR_DEMANDS.
    pub nbr_demands: u8,
    /// NBR_COIN_VALUES.
    pub nbr_coin_values: u8,
    /// NBR_OCCUR.
    pub nbr_occur: u8,
    /// NBR_TIERS.
    pub nbr_tiers: u8,
    /// NBR_PRESENT_DEMANDS.
    pub nbr_present_demands: u8,
    /// NBR_PRESENT_VALUES.
    pub nbr_present_values: u8,
}

impl ActRegs {
    /// Parses ST21 (10 bytes).
    pub fn parse(raw: &[u8]) -> Result<Self> {
        let mut c = Cursor::new(raw);
        let a: [u8; 10] = c.read_array()?;
        Ok(ActRegs {
            reg_func1: a[0],
            reg_func2: a[1],
            nbr_self_reads: a[2],
            nbr_summations: a[3],
            nbr_demands: a[4],
            nbr_coin_values: a[5],
            nbr_occur: a[6],
            nbr_tiers: a[7],
            nbr_present_demands: a[8],
            nbr_present_values: a[9],
        })
    }
    bit_flags! { (self.reg_func1)
        /// DATE_TIME_FIELD_FLAG.
        pub fn date_time_field = 0x02;
        /// DEMAND_RESET_CTR_FLAG.
        pub fn demand_reset_ctr = 0x04;
        /// CUM_DEMAND_FLAG.
        pub fn cum_demand = 0x10;
        /// CONT_CUM_DEMAND_FLAG.
        pub fn cont_cum_demand = 0x20;
    }
}

/// Size in bytes of a non-integer value of format `f` (C12.19 NI_FORMAT codes:
/// 0 FLOAT64, 1 FLOAT32, 2 FLOAT_CHAR12, 3 FLOAT_CHAR6, 4 INT32/10000, 5 FIXED_BCD6,
/// 6 FIXED_BCD4, 7 INT24, 8 INT32, 9 INT40, 10 INT48, 11 INT64, 12 FIXED_BCD8,
/// 13 FLOAT_CHAR21).
pub const fn ni_size(f: u8) -> Option<usize> {
    match f {
        0 => Some(8),
        1 => Some(4),
        2 => Some(12),
        3 => Some(6),
        4 => Some(4),
        5 => Some(6),
        6 => Some(4),
        7 => Some(3),
        8 => Some(4),
        9 => Some(5),
        10 => Some(6),
        11 => Some(8),
        12 => Some(8),
        13 => Some(21),
        _ => None,
    }
}

/// A decoded non-integer value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NiValue<'a> {
    /// FLOAT64 / FLOAT32.
    Float(f64),
    /// INTnn (format 4: the value is this / 10000).
    Int(i64),
    /// INT32 with an implied decimal point four digits from the right (format 4).
    Fixed4(i64),
    /// BCD digits, or a FLOAT_CHAR string: the raw bytes.
    Raw(&'a [u8]),
}

fn sign_extend(v: u64, bytes: usize) -> i64 {
    let bits = u32::try_from(bytes.saturating_mul(8)).unwrap_or(64).min(64);
    if bits == 64 || bits == 0 {
        return v as i64;
    }
    let shift = 64u32.saturating_sub(bits);
    ((v << shift) as i64) >> shift
}

fn read_ni<'a>(c: &mut Cursor<'a>, f: u8, order: ByteOrder) -> Result<NiValue<'a>> {
    let n = ni_size(f).ok_or(Error::unsupported("ni format", u32::from(f)))?;
    let raw = c.take(n)?;
    let mut rc = Cursor::new(raw);
    Ok(match f {
        0 => NiValue::Float(f64::from_bits(order.read_uint(&mut rc, 8)?)),
        1 => NiValue::Float(f64::from(f32::from_bits(
            u32::try_from(order.read_uint(&mut rc, 4)?).unwrap_or(0),
        ))),
        4 => NiValue::Fixed4(sign_extend(order.read_uint(&mut rc, 4)?, 4)),
        7..=11 => NiValue::Int(sign_extend(order.read_uint(&mut rc, n)?, n)),
        _ => NiValue::Raw(raw),
    })
}

/// Size of an STIME_DATE for time format `tm` (0 none, 1 BCD and 2 UINT8: 5 bytes,
/// 3 and 4 UINT32: 4 bytes).
pub const fn stime_date_size(tm: u8) -> usize {
    match tm {
        1 | 2 => 5,
        3 | 4 => 4,
        _ => 0,
    }
}

/// One DEMANDS_RCD of ST23.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demand<'a> {
    /// `EVENT_TIME[NBR_OCCUR]` (raw STIME_DATEs), when DATE_TIME_FIELD_FLAG.
    pub event_times: &'a [u8],
    /// CUM_DEMAND, when CUM_DEMAND_FLAG.
    pub cum_demand: Option<NiValue<'a>>,
    /// CONT_CUM_DEMAND, when CONT_CUM_DEMAND_FLAG.
    pub cont_cum_demand: Option<NiValue<'a>>,
    /// The first of `DEMAND[NBR_OCCUR]` (the rest are in `demands_raw`).
    pub demand: Option<NiValue<'a>>,
    /// `DEMAND[NBR_OCCUR]` raw bytes.
    pub demands_raw: &'a [u8],
}

/// ST23 CURRENT_REG_DATA_TBL (clause 9.3.4), decoded with the ST0 + ST21 context.
/// Data blocks are lazy: [`CurrentRegData::block`] decodes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentRegData<'a> {
    /// NBR_DEMAND_RESETS when DEMAND_RESET_CTR_FLAG.
    pub nbr_demand_resets: Option<u8>,
    blocks: &'a [u8],
    block_len: usize,
    ctx: TableContext,
    regs: ActRegs,
}

/// One DATA_BLK_RCD of ST23 (total, or one tier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataBlock<'a> {
    raw: &'a [u8],
    ctx: TableContext,
    regs: ActRegs,
}

impl<'a> DataBlock<'a> {
    /// `SUMMATIONS[NBR_SUMMATIONS]` in NI_FORMAT1.
    pub fn summations(&self) -> impl Iterator<Item = NiValue<'a>> + '_ {
        let mut c = Cursor::new(self.raw);
        let (f, o) = (self.ctx.ni_format1, self.ctx.byte_order);
        (0..self.regs.nbr_summations).map_while(move |_| read_ni(&mut c, f, o).ok())
    }
    /// `DEMANDS[NBR_DEMANDS]`.
    pub fn demands(&self) -> impl Iterator<Item = Demand<'a>> + '_ {
        let ctx = self.ctx;
        let regs = self.regs;
        let n1 = ni_size(ctx.ni_format1).unwrap_or(0);
        let mut c = Cursor::new(
            self.raw
                .get(n1.saturating_mul(usize::from(regs.nbr_summations))..)
                .unwrap_or(&[]),
        );
        (0..regs.nbr_demands).map_while(move |_| {
            let occ = usize::from(regs.nbr_occur);
            let event_times = if regs.date_time_field() {
                c.take(occ.saturating_mul(stime_date_size(ctx.tm_format)))
                    .ok()?
            } else {
                &[]
            };
            let cum_demand = if regs.cum_demand() {
                Some(read_ni(&mut c, ctx.ni_format1, ctx.byte_order).ok()?)
            } else {
                None
            };
            let cont_cum_demand = if regs.cont_cum_demand() {
                Some(read_ni(&mut c, ctx.ni_format1, ctx.byte_order).ok()?)
            } else {
                None
            };
            let n2 = ni_size(ctx.ni_format2)?;
            let demands_raw = c.take(occ.saturating_mul(n2)).ok()?;
            let demand = read_ni(
                &mut Cursor::new(demands_raw),
                ctx.ni_format2,
                ctx.byte_order,
            )
            .ok();
            Some(Demand {
                event_times,
                cum_demand,
                cont_cum_demand,
                demand,
                demands_raw,
            })
        })
    }
    /// The raw block.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }
}

/// Length of one DATA_BLK_RCD under a context.
pub fn data_block_len(ctx: &TableContext, r: &ActRegs) -> Result<usize> {
    let n1 = ni_size(ctx.ni_format1)
        .ok_or(Error::unsupported("ni format 1", u32::from(ctx.ni_format1)))?;
    let n2 = ni_size(ctx.ni_format2)
        .ok_or(Error::unsupported("ni format 2", u32::from(ctx.ni_format2)))?;
    let occ = usize::from(r.nbr_occur);
    let mut demand = occ.saturating_mul(n2);
    if r.date_time_field() {
        demand = demand.saturating_add(occ.saturating_mul(stime_date_size(ctx.tm_format)));
    }
    if r.cum_demand() {
        demand = demand.saturating_add(n1);
    }
    if r.cont_cum_demand() {
        demand = demand.saturating_add(n1);
    }
    Ok(usize::from(r.nbr_summations)
        .saturating_mul(n1)
        .saturating_add(usize::from(r.nbr_demands).saturating_mul(demand))
        .saturating_add(usize::from(r.nbr_coin_values).saturating_mul(occ.saturating_mul(n2))))
}

impl<'a> CurrentRegData<'a> {
    /// Parses ST23; the context must carry ST21 (`act_regs`).
    pub fn parse(raw: &'a [u8], ctx: &TableContext) -> Result<Self> {
        let regs = ctx
            .act_regs
            .ok_or(Error::malformed("st23 context", "needs st21 (act_regs)"))?;
        let mut c = Cursor::new(raw);
        let nbr_demand_resets = if regs.demand_reset_ctr() {
            Some(c.read_u8()?)
        } else {
            None
        };
        let block_len = data_block_len(ctx, &regs)?;
        let total = block_len.saturating_mul(usize::from(regs.nbr_tiers).saturating_add(1));
        let blocks = c.take(total)?;
        Ok(CurrentRegData {
            nbr_demand_resets,
            blocks,
            block_len,
            ctx: *ctx,
            regs,
        })
    }
    /// Block 0 is TOT_DATA_BLOCK, block `t` (1..=NBR_TIERS) the tier `t` block.
    pub fn block(&self, i: usize) -> Option<DataBlock<'a>> {
        let start = i.checked_mul(self.block_len)?;
        let raw = self.blocks.get(start..start.checked_add(self.block_len)?)?;
        Some(DataBlock {
            raw,
            ctx: self.ctx,
            regs: self.regs,
        })
    }
    /// Number of blocks (1 + NBR_TIERS).
    pub fn blocks(&self) -> usize {
        usize::from(self.regs.nbr_tiers).saturating_add(1)
    }
}

/// A decoded table, or the raw fallback for tables without a typed decoder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Table<'a> {
    /// ST0.
    St0(St0<'a>),
    /// ST1.
    St1(St1<'a>),
    /// ST3.
    St3(St3<'a>),
    /// ST5 identification.
    St5(&'a [u8]),
    /// ST7.
    St7(ProcedureRequest<'a>),
    /// ST8.
    St8(ProcedureResponse<'a>),
    /// ST21.
    St21(ActRegs),
    /// ST23.
    St23(CurrentRegData<'a>),
    /// Any other table.
    Raw {
        /// The table.
        id: TableId,
        /// Its contents.
        data: &'a [u8],
    },
}

/// Decodes the full contents of table `id` (as a full read returns them).
pub fn decode_table<'a>(id: TableId, data: &'a [u8], ctx: &TableContext) -> Result<Table<'a>> {
    if id.is_manufacturer() || id.is_pending() {
        return Ok(Table::Raw { id, data });
    }
    Ok(match id.number() {
        0 => Table::St0(St0::parse(data)?),
        1 => Table::St1(St1::parse(data, ctx)?),
        3 => Table::St3(St3::parse(data, ctx)?),
        5 => Table::St5(st5_identification(data, ctx)?),
        7 => Table::St7(ProcedureRequest::parse(data, ctx)?),
        8 => Table::St8(ProcedureResponse::parse(data, ctx)?),
        21 => Table::St21(ActRegs::parse(data)?),
        23 if ctx.act_regs.is_some() => Table::St23(CurrentRegData::parse(data, ctx)?),
        _ => Table::Raw { id, data },
    })
}
