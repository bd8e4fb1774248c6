//! JIT linking: `cuLinkCreate`, `cuLinkAddData`, `cuLinkAddFile`, `cuLinkComplete`,
//! `cuLinkDestroy`.
//!
//! NVIDIA's driver compiles each input to relocatable SASS and links those; ours links at the
//! PTX level, which is what it executes. Every input is reduced to PTX text (PTX as given;
//! the best PTX entry of a fatbin, of the fatbins in a host object (`nvcc -dc`) or of each
//! object in an `ar` library; a cubin is SASS only, so one with kernels is refused) and parsed
//! when added (a syntax error fails `cuLinkAddData`, as ptxas would). `cuLinkComplete` merges
//! the parsed modules into one module:
//! - a definition (`.visible`/`.weak` function with a body, a `.global`/`.const` variable
//!   that is not `.extern`) replaces every `.extern` declaration of its name in the other
//!   inputs; two `.visible` definitions of one name are a multiple definition (`.weak` ones
//!   give way), refused when the second input is added and by every later `cuLinkComplete`;
//! - module-local symbols (no linkage directive, e.g. the `$str` strings of `printf`) are
//!   private to their input: where a name is local to one input and also named in another,
//!   it is renamed in the input that owns it (a whole-identifier rewrite of that input's text
//!   before parsing), so inputs cannot capture each other's locals;
//! - a declaration nothing defines is an error (`Undefined reference to 'f' in 'input'` in the
//!   error log), except for the system calls the executor provides (`vprintf`,
//!   `__assertfail`) and `.extern .shared` arrays (dynamic shared memory);
//! - error codes and log lines are NVIDIA's (measured on an H100, driver 580): undefined and
//!   multiply defined symbols are CUDA_ERROR_INVALID_SOURCE with `error   : …` lines, a PTX
//!   syntax error is CUDA_ERROR_INVALID_PTX from cuLinkAddData, a missing file
//!   CUDA_ERROR_INVALID_VALUE, and completing a link without inputs succeeds (an empty
//!   module);
//! - the result declares the newest `.version` and `.target` of its inputs, variables before
//!   functions (so every use follows its declaration), and is printed back as PTX text:
//!   the "cubin" `cuLinkComplete` hands out is that text, NUL-terminated, which
//!   `cuModuleLoadData`/`cuLibraryLoadData` load like any PTX image.

use super::module::{self, JitLogs, Source};
use super::Table;
use crate::api::*;
use std::collections::{HashMap, HashSet};
use std::ffi::{c_char, c_uint, c_void, CStr};
use std::sync::{Mutex, OnceLock};

pub type CUlinkState = *mut c_void;

// CUjitInputType
pub const CU_JIT_INPUT_CUBIN: c_uint = 0;
pub const CU_JIT_INPUT_PTX: c_uint = 1;
pub const CU_JIT_INPUT_FATBINARY: c_uint = 2;
pub const CU_JIT_INPUT_OBJECT: c_uint = 3;
pub const CU_JIT_INPUT_LIBRARY: c_uint = 4;
pub const CU_JIT_INPUT_NVVM: c_uint = 5;

/// System calls of the PTX ABI that the executor implements itself.
const PROVIDED: &[&str] = &["vprintf", "__assertfail"];

struct Input {
    name: String,
    text: String,
    /// Names this input defines with global linkage (`.visible` only: `.weak` may repeat).
    strong: Vec<String>,
}

struct LinkState {
    logs: JitLogs,
    inputs: Mutex<Vec<Input>>,
    /// The linked image (NUL-terminated PTX), valid until cuLinkDestroy.
    output: Mutex<Option<Vec<u8>>>,
    /// A multiple definition found while adding: every cuLinkComplete fails with it.
    failed: Mutex<Option<String>>,
}
// SAFETY: the log pointers are the caller's buffers, written only inside its own link calls
// (documented to live as long as the link state).
unsafe impl Send for LinkState {}
unsafe impl Sync for LinkState {}

fn states() -> &'static Table<LinkState> {
    static T: OnceLock<Table<LinkState>> = OnceLock::new();
    T.get_or_init(Table::new)
}

pub unsafe fn create(n: c_uint, options: *mut c_uint, values: *mut *mut c_void, out: *mut CUlinkState) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    super::context::current_checked()?;
    let logs = JitLogs::parse(n, options, values)?;
    let (h, _) = states().insert(LinkState { logs, inputs: Mutex::new(Vec::new()), output: Mutex::new(None), failed: Mutex::new(None) });
    *out = h as CUlinkState;
    Ok(())
}

pub unsafe fn destroy(state: CUlinkState) -> CuResult {
    states().remove(state).map(|_| ()).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

/// PTX text of one input, or None for an input without kernels (a device-link stub).
fn ptx_of(kind: c_uint, bytes: &[u8]) -> Result<Option<String>, (CUresult, String)> {
    let from_image = |img: &fatbin::Image<'_>| match module::choose(img, module::device_cc()) {
        Ok(Source::Ptx(t)) => Ok(Some(t)),
        Ok(Source::Empty) => Ok(None),
        Err(e) => Err(e),
    };
    match kind {
        CU_JIT_INPUT_PTX => {
            let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
            let text = std::str::from_utf8(&bytes[..end]).map_err(|_| (CUDA_ERROR_INVALID_PTX, "PTX input is not UTF-8 text".to_string()))?;
            Ok(Some(text.to_string()))
        }
        CU_JIT_INPUT_FATBINARY | CU_JIT_INPUT_CUBIN => {
            let img = fatbin::image_from_bytes(bytes).map_err(|e| (CUDA_ERROR_INVALID_IMAGE, format!("invalid image: {e}")))?;
            let wrong = match (&img, kind) {
                (fatbin::Image::Elf(_), CU_JIT_INPUT_CUBIN) | (fatbin::Image::Fatbin(_), CU_JIT_INPUT_FATBINARY) => false,
                (fatbin::Image::Wrapper { .. }, CU_JIT_INPUT_FATBINARY) => false,
                _ => true,
            };
            if wrong {
                return Err((CUDA_ERROR_INVALID_IMAGE, "input is not of the declared type".into()));
            }
            from_image(&img)
        }
        CU_JIT_INPUT_OBJECT => ptx_of_host_file(bytes),
        CU_JIT_INPUT_LIBRARY => {
            let members = ar_members(bytes).ok_or((CUDA_ERROR_INVALID_IMAGE, "not an ar library".to_string()))?;
            let mut texts = Vec::new();
            for m in members {
                if let Some(t) = ptx_of_host_file(m)? {
                    texts.push(t);
                }
            }
            // Several objects: hand them back joined; `add` splits them again.
            Ok(if texts.is_empty() { None } else { Some(texts.join(LIBRARY_SEPARATOR)) })
        }
        CU_JIT_INPUT_NVVM => Err((CUDA_ERROR_NOT_SUPPORTED, "NVVM IR inputs (LTO) are not supported".into())),
        _ => Err((CUDA_ERROR_INVALID_VALUE, format!("unknown input type {kind}"))),
    }
}

/// Between the PTX of a library's objects (never inside PTX text).
const LIBRARY_SEPARATOR: &str = "\0cuemu-library-member\0";

/// The best PTX of the fatbins in a host object file (`nvcc -dc` output).
fn ptx_of_host_file(bytes: &[u8]) -> Result<Option<String>, (CUresult, String)> {
    let fatbins = fatbin::fatbins_in_file(bytes).map_err(|e| (CUDA_ERROR_INVALID_IMAGE, format!("invalid object: {e}")))?;
    let entries: Vec<&fatbin::Entry<'_>> = fatbins.iter().flat_map(|f| f.entries.iter()).collect();
    if entries.is_empty() {
        return Ok(None);
    }
    match fatbin::select_ptx(entries.iter().copied(), module::device_cc()) {
        Ok(e) => e.ptx_text().map(Some).map_err(|err| (CUDA_ERROR_INVALID_IMAGE, format!("cannot read PTX entry: {err}"))),
        Err(e) => Err((CUDA_ERROR_NO_BINARY_FOR_GPU, e.to_string())),
    }
}

/// Members of a System V `ar` archive (symbol tables and name tables skipped).
fn ar_members(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut rest = bytes.strip_prefix(b"!<arch>\n")?;
    let mut out = Vec::new();
    while rest.len() >= 60 {
        let (hdr, body) = rest.split_at(60);
        let name = std::str::from_utf8(&hdr[..16]).ok()?.trim_end();
        let size: usize = std::str::from_utf8(&hdr[48..58]).ok()?.trim().parse().ok()?;
        let data = body.get(..size)?;
        if name != "/" && name != "//" && !name.starts_with("/SYM64/") && !name.starts_with("__.SYMDEF") {
            out.push(data);
        }
        rest = &body[(size + (size & 1)).min(body.len())..];
    }
    Some(out)
}

unsafe fn add(state: CUlinkState, kind: c_uint, bytes: &[u8], name: &str, n: c_uint, options: *mut c_uint, values: *mut *mut c_void) -> CuResult {
    let st = states().get(state).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    // Per-input options only tune the compile; their log slots are honoured.
    let own = JitLogs::parse(n, options, values)?;
    let fail = |code: CUresult, msg: String| -> CuResult {
        let msg = format!("cuemu link: {name}: {msg}");
        tracing::warn!("{msg} -> {code:?}");
        st.logs.error_log(&msg);
        own.error_log(&msg);
        Err(code)
    };
    if st.output.lock().unwrap().is_some() {
        return fail(CUDA_ERROR_INVALID_VALUE, "the link was already completed".into());
    }
    let texts = match ptx_of(kind, bytes) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(()),
        Err((code, msg)) => return fail(code, msg),
    };
    let mut inputs = st.inputs.lock().unwrap();
    let mut added: Vec<Input> = Vec::new();
    for (i, text) in texts.split(LIBRARY_SEPARATOR).enumerate() {
        let m = match ptx::parse(text) {
            Ok(m) => m,
            Err(e) => return fail(CUDA_ERROR_INVALID_PTX, format!("ptx parse error: {e}")),
        };
        let name = if i == 0 { name.to_string() } else { format!("{name}#{i}") };
        let strong: Vec<String> = symbols(&m).into_iter().filter(|(_, (d, l))| *d && *l == ptx::Linkage::Visible).map(|(n, _)| n).collect();
        for s in &strong {
            if let Some(first) = inputs.iter().chain(added.iter()).find(|x| x.strong.contains(s)) {
                let msg = format!("error   : Multiple definition of '{s}' in '{name}', first defined in '{}'", first.name);
                tracing::warn!("cuemu link: {msg}");
                st.logs.error_log(&msg);
                own.error_log(&msg);
                *st.failed.lock().unwrap() = Some(msg);
                return Err(CUDA_ERROR_INVALID_SOURCE);
            }
        }
        added.push(Input { name, text: text.to_string(), strong });
    }
    inputs.extend(added);
    Ok(())
}

unsafe fn name_of(name: *const c_char, fallback: &str) -> String {
    if name.is_null() {
        fallback.to_string()
    } else {
        CStr::from_ptr(name).to_string_lossy().into_owned()
    }
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn add_data(
    state: CUlinkState,
    kind: c_uint,
    data: *mut c_void,
    size: usize,
    name: *const c_char,
    n: c_uint,
    options: *mut c_uint,
    values: *mut *mut c_void,
) -> CuResult {
    if data.is_null() || size == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let bytes = std::slice::from_raw_parts(data as *const u8, size);
    add(state, kind, bytes, &name_of(name, "<data>"), n, options, values)
}

pub unsafe fn add_file(state: CUlinkState, kind: c_uint, path: *const c_char, n: c_uint, options: *mut c_uint, values: *mut *mut c_void) -> CuResult {
    if path.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    states().get(state).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    let p = CStr::from_ptr(path).to_string_lossy().into_owned();
    // A file that cannot be read: CUDA_ERROR_INVALID_VALUE (measured), not FILE_NOT_FOUND.
    let mut bytes = std::fs::read(&p).map_err(|_| CUDA_ERROR_INVALID_VALUE)?;
    if kind == CU_JIT_INPUT_PTX {
        bytes.push(0);
    }
    add(state, kind, &bytes, &p, n, options, values)
}

pub unsafe fn complete(state: CUlinkState, out: *mut *mut c_void, size: *mut usize) -> CuResult {
    if out.is_null() || size.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let st = states().get(state).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    let started = std::time::Instant::now();
    if let Some(msg) = st.failed.lock().unwrap().clone() {
        st.logs.error_log(&msg);
        return Err(CUDA_ERROR_INVALID_SOURCE);
    }
    let mut output = st.output.lock().unwrap();
    if output.is_none() {
        let inputs = st.inputs.lock().unwrap();
        match link(&inputs) {
            Ok(text) => {
                st.logs.info_log(&format!("cuemu link: {} input(s) linked", inputs.len()));
                let mut bytes = text.into_bytes();
                bytes.push(0);
                *output = Some(bytes);
            }
            Err((code, msg)) => {
                tracing::warn!("{msg} -> {code:?}");
                st.logs.error_log(&msg);
                st.logs.wall_time(started);
                return Err(code);
            }
        }
        st.logs.wall_time(started);
    }
    let bytes = output.as_ref().unwrap();
    *out = bytes.as_ptr() as *mut c_void;
    *size = bytes.len();
    Ok(())
}

// ---- the linker proper ----

/// Module-scope symbols of a parsed input: name → (defined, global linkage, is a function).
fn symbols(m: &ptx::Module) -> HashMap<String, (bool, ptx::Linkage)> {
    let mut out = HashMap::new();
    for item in &m.items {
        let (name, defined, linkage) = match item {
            ptx::ModuleItem::Function(f) => (f.name.to_string(), f.body.is_some(), f.linkage),
            ptx::ModuleItem::Var(v) if matches!(v.space, ptx::StateSpace::Global | ptx::StateSpace::Const | ptx::StateSpace::Shared) => {
                (v.name.to_string(), v.linkage != ptx::Linkage::Extern, v.linkage)
            }
            _ => continue,
        };
        let e = out.entry(name).or_insert((false, linkage));
        if defined {
            *e = (true, linkage);
        }
    }
    out
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c == b'%'
}
fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// Rewrites whole identifiers of `text` per `map` (registers and `.directive` words untouched).
fn rename(text: &str, map: &HashMap<String, String>) -> String {
    if map.is_empty() {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 64);
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if is_ident_start(b[i]) && (i == 0 || (!is_ident(b[i - 1]) && b[i - 1] != b'.' && b[i - 1] != b'%')) {
            let start = i;
            i += 1;
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            if let Some(new) = map.get(&text[start..i]) {
                out.push_str(&text[copied..start]);
                out.push_str(new);
                copied = i;
            }
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn is_global(l: ptx::Linkage) -> bool {
    matches!(l, ptx::Linkage::Visible | ptx::Linkage::Weak | ptx::Linkage::Common | ptx::Linkage::Extern)
}

/// Links the inputs into one PTX module (text).
fn link(inputs: &[Input]) -> Result<String, (CUresult, String)> {
    if inputs.is_empty() {
        // Nothing to link: an empty module (what NVIDIA's driver answers with success).
        let cc = module::device_cc();
        return Ok(format!(".version 7.0\n.target sm_{cc}\n.address_size 64\n"));
    }
    let parse = |inp: &Input, text: &str| ptx::parse(text).map_err(|e| (CUDA_ERROR_INVALID_PTX, format!("cuemu link: {}: ptx parse error: {e}", inp.name)));
    let parsed: Vec<ptx::Module> = inputs.iter().map(|i| parse(i, &i.text)).collect::<Result<_, _>>()?;
    let syms: Vec<HashMap<String, (bool, ptx::Linkage)>> = parsed.iter().map(symbols).collect();

    // Locals named anywhere else are renamed in the input that owns them.
    let mut modules = Vec::with_capacity(inputs.len());
    for (k, inp) in inputs.iter().enumerate() {
        let mut map = HashMap::new();
        for (name, (_, linkage)) in &syms[k] {
            if *linkage == ptx::Linkage::None && syms.iter().enumerate().any(|(j, s)| j != k && s.contains_key(name)) {
                map.insert(name.clone(), format!("{name}_cuemu_link{k}"));
            }
        }
        modules.push(if map.is_empty() { parsed[k].clone() } else { parse(inp, &rename(&inp.text, &map))? });
    }

    // Global definitions: the input that provides each name (a .visible beats .weak/.common).
    let mut provider: HashMap<String, (usize, ptx::Linkage)> = HashMap::new();
    for (k, m) in modules.iter().enumerate() {
        for (name, (defined, linkage)) in symbols(m) {
            if !defined || !is_global(linkage) {
                continue;
            }
            match provider.get(&name) {
                Some(&(other, ptx::Linkage::Visible)) if linkage == ptx::Linkage::Visible => {
                    return Err((
                        CUDA_ERROR_INVALID_SOURCE,
                        format!("error   : Multiple definition of '{name}' in '{}', first defined in '{}'", inputs[k].name, inputs[other].name),
                    ));
                }
                Some(&(_, ptx::Linkage::Visible)) => {}
                Some(_) if linkage != ptx::Linkage::Visible => {}
                _ => {
                    provider.insert(name, (k, linkage));
                }
            }
        }
    }

    let mut vars = Vec::new();
    let mut funcs = Vec::new();
    let mut declared: HashSet<String> = HashSet::new();
    let mut undefined = Vec::new();
    for (k, m) in modules.iter().enumerate() {
        for item in &m.items {
            let (name, defined, linkage) = match item {
                ptx::ModuleItem::Function(f) => (f.name.to_string(), f.body.is_some(), f.linkage),
                ptx::ModuleItem::Var(v) => (v.name.to_string(), v.linkage != ptx::Linkage::Extern, v.linkage),
                // .file/.section/… belong to their input's debug information.
                ptx::ModuleItem::Directive(_) => continue,
            };
            let keep = if defined {
                // A global definition that lost to another input's is dropped.
                !is_global(linkage) || provider.get(&name).is_none_or(|p| p.0 == k)
            } else if provider.contains_key(&name) {
                false
            } else if PROVIDED.contains(&name.as_str()) || matches!(item, ptx::ModuleItem::Var(v) if v.space == ptx::StateSpace::Shared) {
                // System calls, and `.extern .shared` arrays: dynamic shared memory, declared
                // (not defined) by every module that uses it. One declaration each.
                declared.insert(name.clone())
            } else {
                if !undefined.iter().any(|(n, _)| *n == name) {
                    undefined.push((name, k));
                }
                false
            };
            if keep {
                match item {
                    ptx::ModuleItem::Var(_) => vars.push(item.clone()),
                    _ => funcs.push(item.clone()),
                }
            }
        }
    }
    if !undefined.is_empty() {
        let lines: Vec<String> = undefined.iter().map(|(n, k)| format!("error   : Undefined reference to '{n}' in '{}'", inputs[*k].name)).collect();
        return Err((CUDA_ERROR_INVALID_SOURCE, lines.join("\n")));
    }

    let version = modules.iter().map(|m| m.version).max().unwrap_or((7, 0));
    let target_num = |m: &ptx::Module| {
        m.target
            .iter()
            .find_map(|t| t.strip_prefix("sm_"))
            .and_then(|t| t.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse::<u32>().ok())
            .unwrap_or(0)
    };
    let newest = modules.iter().max_by_key(|m| target_num(m)).expect("inputs");
    if modules.iter().any(|m| m.address_size != newest.address_size) {
        return Err((CUDA_ERROR_INVALID_IMAGE, "cuemu link: inputs disagree on .address_size".into()));
    }
    let mut items = vars;
    items.extend(funcs);
    let merged = ptx::Module { version, target: newest.target.clone(), address_size: newest.address_size, items };
    let text = ptx::print(&merged);
    // What cuModuleLoadData will check, reported here with the link's error log.
    let check = ptx::parse(&text).map_err(|e| (CUDA_ERROR_INVALID_IMAGE, format!("cuemu link: internal: merged module does not parse: {e}")))?;
    crate::exec::validate::validate(&check).map_err(|m| (CUDA_ERROR_INVALID_PTX, format!("cuemu link: {m}")))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_touches_whole_identifiers_only() {
        let map = HashMap::from([("$str".to_string(), "$str_x".to_string()), ("f".to_string(), "f_x".to_string())]);
        let t = "mov.u64 %rd1, $str; call f, (f1); .func f(); ld.f32 %f, [$str+4]; $str1";
        assert_eq!(rename(t, &map), "mov.u64 %rd1, $str_x; call f_x, (f1); .func f_x(); ld.f32 %f, [$str_x+4]; $str1");
    }

    #[test]
    fn ar_members_are_found() {
        let mut a = b"!<arch>\n".to_vec();
        for (name, data) in [("/", &b"symtab"[..]), ("a.o/", &b"AAA"[..]), ("b.o/", &b"BB"[..])] {
            a.extend(format!("{name:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n", 0, 0, 0, 644, data.len()).as_bytes());
            a.extend(data);
            if data.len() % 2 == 1 {
                a.push(b'\n');
            }
        }
        assert_eq!(ar_members(&a).unwrap(), vec![&b"AAA"[..], &b"BB"[..]]);
    }
}
