//! Helpers for tests that build CUDA programs with nvcc and compare with cuobjdump.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use fatbin::{cuobjdump_files, cuobjdump_listing, EntryKind, Fatbin};

/// nvcc and cuobjdump of one toolkit.
pub struct Toolkit {
    pub nvcc: PathBuf,
    pub cuobjdump: PathBuf,
}

/// Finds nvcc in `$CUEMU_CUDA_HOME/bin`, else on PATH, else in setup.sh's default
/// `~/.cache/cuemu/cuda/bin`, and cuobjdump next to it. Prints
/// why and returns None when there is none, so the calling test can skip.
pub fn toolkit(test: &str) -> Option<Toolkit> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(home) = std::env::var_os("CUEMU_CUDA_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    // Where scripts/setup.sh installs the toolkit, for runs without its env.sh sourced.
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cache/cuemu/cuda/bin"));
    }
    for dir in dirs {
        let (nvcc, cuobjdump) = (dir.join("nvcc"), dir.join("cuobjdump"));
        if nvcc.is_file() && cuobjdump.is_file() {
            return Some(Toolkit { nvcc, cuobjdump });
        }
    }
    eprintln!(
        "SKIPPED {test}: nvcc and cuobjdump not found in $CUEMU_CUDA_HOME/bin, PATH or ~/.cache/cuemu/cuda/bin \
         (run scripts/setup.sh and source ~/.cache/cuemu/env.sh)"
    );
    None
}

/// A fresh, empty directory for one test.
pub fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fatbin-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

impl Toolkit {
    /// Runs `nvcc ARGS` in `dir` and panics with its output on failure.
    pub fn nvcc(&self, dir: &Path, args: &[&str]) {
        let out = Command::new(&self.nvcc).args(args).current_dir(dir).output().unwrap();
        assert!(
            out.status.success(),
            "nvcc {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Builds `source` (from tests/data) into `dir/output` with the extra nvcc `args`.
    pub fn build(&self, dir: &Path, source: &str, output: &str, args: &[&str]) -> PathBuf {
        let src = data_file(source);
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-o", output, src.to_str().unwrap()]);
        self.nvcc(dir, &all);
        dir.join(output)
    }

    /// cuobjdump's stdout for `ARGS file`.
    pub fn cuobjdump(&self, args: &[&str], file: &Path) -> String {
        let out = Command::new(&self.cuobjdump).args(args).arg(file).output().unwrap();
        assert!(out.status.success(), "cuobjdump {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `cuobjdump FLAG all file` in an empty directory and returns what it wrote.
    pub fn extract(&self, flag: &str, extra: &[&str], file: &Path, dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new(&self.cuobjdump)
            .args(extra)
            .args([flag, "all"])
            .arg(file)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "cuobjdump {flag} failed: {}", String::from_utf8_lossy(&out.stderr));
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())
            })
            .collect()
    }
}

/// What comparing one file with cuobjdump found, for the test's own assertions.
pub struct Compared {
    pub ptx_files: usize,
    pub elf_files: usize,
}

/// Checks our reading of `file` against cuobjdump: the `-lptx -lelf` listing (default
/// sections, and `-all`), and the bytes of every file `-xptx all` / `-xelf all` write.
pub fn compare_with_cuobjdump(tk: &Toolkit, file: &Path, all_sections: bool) -> Compared {
    let bytes = std::fs::read(file).unwrap();
    let path = file.to_str().unwrap();
    let (fatbins, extra): (Vec<Fatbin>, &[&str]) = if all_sections {
        (fatbin::all_fatbins_in_file(&bytes).unwrap(), &["-all"])
    } else {
        (fatbin::fatbins_in_file(&bytes).unwrap(), &[])
    };

    let mut list_args = extra.to_vec();
    list_args.extend(["-lptx", "-lelf"]);
    let expected = tk.cuobjdump(&list_args, file);
    let ours = cuobjdump_listing(path, &fatbins, true, true);
    assert_eq!(ours, expected, "listing of {path} (args {list_args:?})");
    // Each kind alone, too.
    let mut ptx_args = extra.to_vec();
    ptx_args.push("-lptx");
    assert_eq!(cuobjdump_listing(path, &fatbins, true, false), tk.cuobjdump(&ptx_args, file));

    let scratch = file.with_extension("extracted");
    let ptx = tk.extract("-xptx", extra, file, &scratch.join("ptx"));
    let elf = tk.extract("-xelf", extra, file, &scratch.join("elf"));
    // When names repeat (-G builds), cuobjdump overwrites: the last entry of a name wins.
    let mut ours_ptx = BTreeMap::new();
    let mut ours_elf = BTreeMap::new();
    for f in cuobjdump_files(path, &fatbins) {
        match f.entry.kind {
            EntryKind::Ptx => {
                ours_ptx.insert(f.file_name, f.entry.ptx_text().unwrap().into_bytes());
            }
            EntryKind::Elf => {
                ours_elf.insert(f.file_name, f.entry.data().unwrap().into_owned());
            }
            EntryKind::Unknown(_) => {}
        }
    }
    assert_eq!(ours_ptx.keys().collect::<Vec<_>>(), ptx.keys().collect::<Vec<_>>(), "PTX file names of {path}");
    assert_eq!(ours_elf.keys().collect::<Vec<_>>(), elf.keys().collect::<Vec<_>>(), "ELF file names of {path}");
    for (name, data) in &ptx {
        assert!(ours_ptx[name] == *data, "PTX {name} of {path} differs from cuobjdump -xptx");
    }
    for (name, data) in &elf {
        assert!(ours_elf[name] == *data, "ELF {name} of {path} differs from cuobjdump -xelf");
    }
    Compared { ptx_files: ptx.len(), elf_files: elf.len() }
}
