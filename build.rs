//! Embeds the default suite (`features/` and `vectors/`: manifest, vector files, images) into the
//! binary, so that `qrcert run` works from any directory and after `cargo install`.
//!
//! Writes `$OUT_DIR/embedded_suite.rs`: one `(path, bytes)` entry per file, paths relative to the
//! crate root with `/` separators, in sorted order. `src/embedded.rs` serves them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The directories the binary carries.
const ROOTS: [&str; 2] = ["features", "vectors"];

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    for root in ROOTS {
        // A directory is watched whole: any file added, changed or removed below it reruns this.
        println!("cargo:rerun-if-changed={root}");
        collect(&manifest_dir, Path::new(root), &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// Every embedded file: path relative to the crate root, contents.\n\
         pub(crate) static FILES: &[(&str, &[u8])] = &[\n",
    );
    for rel in &files {
        let abs = manifest_dir.join(rel);
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .expect("writing to a String");
    }
    code.push_str("];\n");
    std::fs::write(out_dir.join("embedded_suite.rs"), code).expect("writing embedded_suite.rs");
}

/// Every regular file below `rel`, skipping dot files (editor and VCS leftovers); `rel`s use `/`.
fn collect(base: &Path, rel: &Path, out: &mut Vec<String>) {
    let dir = base.join(rel);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        // A crate without the suite (a trimmed package) embeds nothing; `qrcert run` then says
        // so and asks for --vectors and --features.
        return;
    };
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
        let name = entry.file_name();
        let name = name
            .to_str()
            .unwrap_or_else(|| panic!("{}: a file name that is not UTF-8", dir.display()));
        if name.starts_with('.') {
            continue;
        }
        let child = rel.join(name);
        let kind = entry
            .file_type()
            .unwrap_or_else(|e| panic!("{}: {e}", child.display()));
        if kind.is_dir() {
            collect(base, &child, out);
        } else if kind.is_file() {
            let parts: Vec<&str> = child.iter().filter_map(|p| p.to_str()).collect();
            out.push(parts.join("/"));
        }
    }
}
