//! Device-side `printf` (`vprintf(format, argbuf)` in PTX).
//!
//! nvcc packs the arguments into a buffer, each aligned to its own size (integers of 4 or 8
//! bytes, doubles — floats are promoted — and pointers of 8). We walk the format string, take
//! each argument from the buffer, and format each conversion with the C library's `snprintf`,
//! so the output is exactly what C's printf would print. Output goes through C's `stdout`
//! stream, which the host program's own `printf` also uses, so host and device lines keep
//! their order.

use std::ffi::CStr;

extern "C" {
    static mut stdout: *mut libc::FILE;
}

/// Formats one lane's `vprintf` call into a string.
///
/// # Safety
/// `fmt` must be a NUL-terminated string and `args` a buffer holding the arguments it names.
pub unsafe fn format_vprintf(fmt: *const libc::c_char, mut args: *const u8) -> Vec<u8> {
    let fmt = CStr::from_ptr(fmt).to_bytes();
    let mut out = Vec::with_capacity(fmt.len() + 16);
    let mut i = 0;
    let mut buf = vec![0u8; 512];
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        if fmt.get(i + 1) == Some(&b'%') {
            out.push(b'%');
            i += 2;
            continue;
        }
        // A conversion: flags, width, precision, length, conversion character.
        let start = i;
        i += 1;
        while i < fmt.len() && b"-+ #0'".contains(&fmt[i]) {
            i += 1;
        }
        while i < fmt.len() && (fmt[i].is_ascii_digit() || fmt[i] == b'.') {
            i += 1;
        }
        let len_start = i;
        while i < fmt.len() && b"hlLqjzt".contains(&fmt[i]) {
            i += 1;
        }
        let longs = fmt[len_start..i].iter().filter(|&&c| c == b'l' || c == b'q' || c == b'j' || c == b'z').count();
        let Some(&conv) = fmt.get(i) else {
            out.extend_from_slice(&fmt[start..]);
            break;
        };
        i += 1;
        let mut spec = fmt[start..i].to_vec();
        spec.push(0);
        let take = |size: usize, args: &mut *const u8| -> u64 {
            let p = ((*args as usize + size - 1) & !(size - 1)) as *const u8;
            *args = p.add(size);
            if size == 8 {
                std::ptr::read_unaligned(p as *const u64)
            } else {
                std::ptr::read_unaligned(p as *const u32) as u64
            }
        };
        let n = match conv {
            b'd' | b'i' | b'u' | b'x' | b'X' | b'o' | b'c' => {
                if longs > 0 {
                    let v = take(8, &mut args);
                    libc::snprintf(buf.as_mut_ptr() as *mut _, buf.len(), spec.as_ptr() as *const _, v)
                } else {
                    let v = take(4, &mut args) as u32;
                    libc::snprintf(buf.as_mut_ptr() as *mut _, buf.len(), spec.as_ptr() as *const _, v)
                }
            }
            b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => {
                let v = f64::from_bits(take(8, &mut args));
                libc::snprintf(buf.as_mut_ptr() as *mut _, buf.len(), spec.as_ptr() as *const _, v)
            }
            b's' => {
                let p = take(8, &mut args) as *const libc::c_char;
                let p = if p.is_null() { c"(null)".as_ptr() } else { p };
                libc::snprintf(buf.as_mut_ptr() as *mut _, buf.len(), spec.as_ptr() as *const _, p)
            }
            b'p' => {
                let p = take(8, &mut args) as *const libc::c_void;
                libc::snprintf(buf.as_mut_ptr() as *mut _, buf.len(), spec.as_ptr() as *const _, p)
            }
            _ => {
                out.extend_from_slice(&spec[..spec.len() - 1]);
                continue;
            }
        };
        if n > 0 {
            let n = (n as usize).min(buf.len() - 1);
            out.extend_from_slice(&buf[..n]);
        }
    }
    out
}

/// `vprintf` for the lanes in `mask`, in lane order.
pub unsafe extern "C" fn cuemu_vprintf(fmts: *const u64, args: *const u64, mask: u32) {
    crate::exec::fault::guard("cuemu_vprintf", || {
        let mut all = Vec::new();
        for lane in 0..32 {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let f = *fmts.add(lane) as *const libc::c_char;
            if f.is_null() {
                continue;
            }
            all.extend(format_vprintf(f, *args.add(lane) as *const u8));
        }
        if !all.is_empty() {
            libc::fwrite(all.as_ptr() as *const _, 1, all.len(), stdout);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_mixed_arguments_with_c_alignment() {
        // int (4) | pad | double (8) | pointer to string (8) | long (8)
        let s = c"abc";
        let mut buf = [0u8; 32];
        buf[0..4].copy_from_slice(&42i32.to_ne_bytes());
        buf[8..16].copy_from_slice(&1.5f64.to_ne_bytes());
        buf[16..24].copy_from_slice(&(s.as_ptr() as u64).to_ne_bytes());
        buf[24..32].copy_from_slice(&(-7i64).to_ne_bytes());
        let out = unsafe { format_vprintf(c"i=%d f=%.2f s=%s l=%ld %%".as_ptr(), buf.as_ptr()) };
        assert_eq!(String::from_utf8(out).unwrap(), "i=42 f=1.50 s=abc l=-7 %");
    }
}
