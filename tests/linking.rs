//! How the program is linked (.cargo/config.toml): on glibc Linux, statically and
//! position-independent, so a start maps one file and relocates it itself, and the
//! kernel still places it at a random address (BENCHMARKS.md, issue 26).

/// The ELF program header types this test looks for (elf.h).
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
/// `e_type` of a position-independent executable.
const ET_DYN: u16 = 3;

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap())
}

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[test]
fn the_program_needs_no_dynamic_loader_and_keeps_a_random_address() {
    let exe = std::fs::read(env!("CARGO_BIN_EXE_ssm-profile")).unwrap();
    assert_eq!(&exe[..4], b"\x7fELF");
    assert_eq!(exe[4], 2, "a 64-bit ELF file");
    let phoff = u64::from_le_bytes(exe[0x20..0x28].try_into().unwrap()) as usize;
    let (phentsize, phnum) = (u16_at(&exe, 0x36) as usize, u16_at(&exe, 0x38) as usize);
    let types: Vec<u32> = (0..phnum)
        .map(|i| {
            let at = phoff + i * phentsize;
            u32::from_le_bytes(exe[at..at + 4].try_into().unwrap())
        })
        .collect();
    assert!(
        !types.contains(&PT_INTERP),
        "the program names a dynamic loader: it was not linked statically \
         (.cargo/config.toml's flags, which RUSTFLAGS in the environment replaces)"
    );
    assert_eq!(
        u16_at(&exe, 0x10),
        ET_DYN,
        "not position-independent: the kernel would load it at a fixed address"
    );
    assert!(
        types.contains(&PT_DYNAMIC),
        "a static-pie keeps its dynamic section to relocate itself"
    );
}

/// The allocator is built to read none of its options from the environment
/// (`MI_NO_GETENV`, .cargo/config.toml): asked to report itself on stderr, it says
/// nothing, and the program's output is its own.
#[test]
fn the_allocator_reads_no_option_from_the_environment() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .arg("--version")
        .env("MIMALLOC_VERBOSE", "1")
        .env("MIMALLOC_SHOW_STATS", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "mimalloc read MIMALLOC_VERBOSE: it was built without .cargo/config.toml's \
         CFLAGS (a CFLAGS in the environment replaces it)"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ssm-profile "));
}

/// `symbol_type`'s value of a function (elf.h `STT_FUNC`), and of a symbol table.
const STT_FUNC: u8 = 2;
const SHT_SYMTAB: u32 = 2;

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn u64_at(b: &[u8], at: usize) -> usize {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize
}

/// Every function of a 64-bit little-endian ELF file's symbol table: name, address,
/// size.
fn functions(elf: &[u8]) -> Vec<(String, usize, usize)> {
    let (shoff, shentsize, shnum) = (
        u64_at(elf, 0x28),
        u16_at(elf, 0x3a) as usize,
        u16_at(elf, 0x3c) as usize,
    );
    let section = |i: usize| shoff + i * shentsize;
    let Some(symtab) = (0..shnum)
        .map(section)
        .find(|&s| u32_at(elf, s + 4) == SHT_SYMTAB)
    else {
        return Vec::new();
    };
    let strtab = section(u32_at(elf, symtab + 0x28) as usize);
    let (strings, symbols) = (u64_at(elf, strtab + 0x18), u64_at(elf, symtab + 0x18));
    let (size, entry) = (u64_at(elf, symtab + 0x20), u64_at(elf, symtab + 0x38));
    (0..size / entry)
        .map(|i| symbols + i * entry)
        .filter(|&s| elf[s + 4] & 0xf == STT_FUNC && u64_at(elf, s + 8) != 0)
        .map(|s| {
            let name = strings + u32_at(elf, s) as usize;
            let end = elf[name..].iter().position(|&b| b == 0).unwrap();
            let name = String::from_utf8_lossy(&elf[name..name + end]).into_owned();
            (name, u64_at(elf, s + 8), u64_at(elf, s + 16))
        })
        .collect()
}

/// The functions `.cargo/symbol-order.txt` lists are laid out together, so that a
/// start touches few pages of code: the ones this build has (a test build names its
/// own functions differently; the C library's and the allocator's are the same) span
/// little more than their own size, where scattered through the program they would
/// span most of its code.
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[test]
fn the_functions_a_start_runs_are_laid_out_together() {
    let elf = std::fs::read(env!("CARGO_BIN_EXE_ssm-profile")).unwrap();
    let order = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.cargo/symbol-order.txt"
    ))
    .unwrap();
    let listed: std::collections::HashSet<&str> = order.lines().collect();
    let all = functions(&elf);
    let code: usize = all.iter().map(|f| f.2).sum();
    let ordered: Vec<_> = all
        .iter()
        .filter(|f| listed.contains(f.0.as_str()))
        .collect();
    assert!(
        ordered.len() > 100,
        "{} listed functions found",
        ordered.len()
    );
    let size: usize = ordered.iter().map(|f| f.2).sum();
    let start = ordered.iter().map(|f| f.1).min().unwrap();
    let end = ordered.iter().map(|f| f.1 + f.2).max().unwrap();
    assert!(
        end - start < 2 * size,
        "{} listed functions of {size} bytes span {} bytes of {code}: the order was \
         not applied (.cargo/config.toml's linker flags, which RUSTFLAGS replaces)",
        ordered.len(),
        end - start
    );
}

/// `sh_type` of a section of packed relative relocations (elf.h `SHT_RELR`).
const SHT_RELR: u32 = 19;

/// Where the build host's glibc applies them in a static program (2.36 on, which
/// build.rs checks the same way), the program's relative relocations are packed: it
/// relocates itself at each start from a 1.5 KB table instead of 128 KB.
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[test]
fn a_static_program_packs_its_relocations_where_glibc_applies_them() {
    let glibc = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let version: Vec<u32> = (glibc.strip_prefix("glibc ").unwrap_or(""))
        .split('.')
        .map_while(|n| n.parse().ok())
        .collect();
    let applies = version.len() >= 2 && (version[0], version[1]) >= (2, 36);
    let elf = std::fs::read(env!("CARGO_BIN_EXE_ssm-profile")).unwrap();
    let (shoff, shentsize, shnum) = (
        u64_at(&elf, 0x28),
        u16_at(&elf, 0x3a) as usize,
        u16_at(&elf, 0x3c) as usize,
    );
    let packed = (0..shnum).any(|i| u32_at(&elf, shoff + i * shentsize + 4) == SHT_RELR);
    assert_eq!(
        packed, applies,
        "{glibc}: packed relocations {packed}, expected {applies} (build.rs)"
    );
    // Ran: the program relocated itself (an unrelocated pointer would crash it).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
}
