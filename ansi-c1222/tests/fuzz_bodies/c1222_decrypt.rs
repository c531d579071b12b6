// Fuzz body shared by fuzz/fuzz_targets/c1222_decrypt.rs and tests/fuzz_replay.rs.
// Input: key id (1 byte), key (16 bytes), APDU. EAX' verify/decrypt never panics, and
// agrees with verify_mac; re-securing the decrypted payload reproduces the APDU's MAC.
#[allow(dead_code)]
pub fn run(data: &[u8]) {
    use meterwire_ansi_c1222::Error;
    use meterwire_ansi_c1222::c1222::{Apdu, SecurityMode};
    if data.len() < 17 {
        return;
    }
    let key_id = data[0];
    let key: [u8; 16] = data[1..17].try_into().unwrap();
    let apdu = &data[17..];
    let Ok(a) = Apdu::parse(apdu) else { return };
    let keys = [(key_id, key)];
    let mut out = [0u8; 2048];
    let r = a.decrypt_into(&keys, &[], &mut out).map(|p| p.to_vec());
    if a.epsem().security_mode() != SecurityMode::Cleartext {
        let v = a.verify_mac(&keys, &[]);
        match (&r, &v) {
            (Ok(_), Ok(())) => {}
            (Err(Error::AuthenticationFailed), Err(Error::AuthenticationFailed)) => {}
            (Err(_), _) | (_, Err(_)) => {}
        }
        if r.is_ok() {
            assert!(v.is_ok());
        }
    }
    if let (Ok(plain), SecurityMode::Encrypted) = (&r, a.epsem().security_mode()) {
        // put the plaintext back and secure it again: same bytes as received
        let mut again = apdu.to_vec();
        let n = again.len();
        let p0 = n - 4 - plain.len();
        again[p0..n - 4].copy_from_slice(plain);
        meterwire_ansi_c1222::eax::secure_in_place(&mut again, &key, &[]).unwrap();
        assert_eq!(again, apdu);
    }
}
