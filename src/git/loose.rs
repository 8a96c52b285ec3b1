//! A loose object's content read piece by piece: its file is read in small blocks and inflated
//! through zlib as the caller reads. libgit2's and git's own object streams map the whole
//! compressed file into memory, so a large file staged with `git add` (written loose up to
//! `core.bigFileThreshold`, 512 MiB) would cost its compressed size in resident memory.

use std::fs::File;
use std::io::{self, Read};
use std::os::raw::{c_int, c_uint, c_void};
use std::path::Path;

use libz_sys as z;

/// Compressed bytes read from the file at a time.
const INPUT: usize = 64 << 10;

pub struct LooseBlob {
    file: File,
    /// Boxed: zlib keeps a pointer to the stream and checks that it has not moved.
    stream: Box<z::z_stream>,
    input: Vec<u8>,
    /// Content inflated with the header, not handed out yet.
    pending: Vec<u8>,
    ended: bool,
}

impl LooseBlob {
    /// Blob `id`'s loose object in `objects` (a repository's `objects` directory), or `None`
    /// when it is not stored loose there (packed, or another object type).
    pub fn open(objects: &Path, id: &str) -> io::Result<Option<LooseBlob>> {
        let (Some(dir), Some(name)) = (id.get(..2), id.get(2..)) else {
            return Ok(None);
        };
        let file = match File::open(objects.join(dir).join(name)) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut blob = LooseBlob {
            file,
            stream: new_stream()?,
            input: vec![0; INPUT],
            pending: Vec::new(),
            ended: false,
        };
        // "<type> <size>\0" comes first.
        let mut header = Vec::new();
        let mut piece = [0u8; 64];
        let nul = loop {
            let n = blob.inflate(&mut piece)?;
            header.extend_from_slice(&piece[..n]);
            if let Some(i) = header.iter().position(|&b| b == 0) {
                break i;
            }
            if n == 0 || header.len() > 64 {
                return Err(broken("has no header"));
            }
        };
        if !header.starts_with(b"blob ") {
            return Ok(None);
        }
        blob.pending = header.split_off(nul + 1);
        Ok(Some(blob))
    }

    /// Inflates into `out`; 0 at the end of the object.
    fn inflate(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let want = out.len().min(c_uint::MAX as usize);
        while !self.ended && want > 0 {
            if self.stream.avail_in == 0 {
                let n = self.file.read(&mut self.input)?;
                if n == 0 {
                    return Err(broken("ends early"));
                }
                self.stream.next_in = self.input.as_mut_ptr();
                self.stream.avail_in = n as c_uint;
            }
            self.stream.next_out = out.as_mut_ptr();
            self.stream.avail_out = want as c_uint;
            // SAFETY: the stream was initialised by `new_stream` and has not moved (boxed); its
            // input points into `self.input` (`avail_in` bytes, not reallocated) and its output
            // into `out` (`want` bytes), both live for this call.
            let r = unsafe { z::inflate(&mut *self.stream, z::Z_NO_FLUSH) };
            let produced = want - self.stream.avail_out as usize;
            match r {
                z::Z_STREAM_END => self.ended = true,
                z::Z_OK | z::Z_BUF_ERROR => {}
                _ => return Err(broken("is corrupt")),
            }
            if produced > 0 {
                return Ok(produced);
            }
        }
        Ok(0)
    }
}

impl Read for LooseBlob {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if !self.pending.is_empty() {
            let n = self.pending.len().min(out.len());
            out[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            return Ok(n);
        }
        self.inflate(out)
    }
}

impl Drop for LooseBlob {
    fn drop(&mut self) {
        // SAFETY: initialised by `new_stream`, ended once, here.
        unsafe {
            z::inflateEnd(&mut *self.stream);
        }
    }
}

fn broken(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("loose object {what}"))
}

/// A zlib stream ready to inflate.
fn new_stream() -> io::Result<Box<z::z_stream>> {
    let mut stream = Box::new(z::z_stream {
        next_in: std::ptr::null_mut(),
        avail_in: 0,
        total_in: 0,
        next_out: std::ptr::null_mut(),
        avail_out: 0,
        total_out: 0,
        msg: std::ptr::null_mut(),
        state: std::ptr::null_mut(),
        zalloc,
        zfree,
        opaque: std::ptr::null_mut(),
        data_type: 0,
        adler: 0,
        reserved: 0,
    });
    // SAFETY: a zeroed stream with allocators, as zlib's inflateInit expects; the version and
    // size let zlib check that this struct matches the library linked.
    let r = unsafe {
        z::inflateInit_(
            &mut *stream,
            z::zlibVersion(),
            std::mem::size_of::<z::z_stream>() as c_int,
        )
    };
    if r != z::Z_OK {
        return Err(io::Error::other("zlib could not start"));
    }
    Ok(stream)
}

extern "C" fn zalloc(_opaque: *mut c_void, items: c_uint, size: c_uint) -> *mut c_void {
    // SAFETY: calloc with sizes from zlib; a null result is zlib's to handle.
    unsafe { libc::calloc(items as usize, size as usize) }
}

extern "C" fn zfree(_opaque: *mut c_void, address: *mut c_void) {
    // SAFETY: `address` came from `zalloc` (zlib frees only what it allocated).
    unsafe { libc::free(address) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_loose_blob_as_git_stores_it() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let content: Vec<u8> = (0..300_000u32).flat_map(|i| i.to_le_bytes()).collect();
        for data in [&content[..], b"", b"x"] {
            let id = repo.blob(data).unwrap().to_string();
            let mut blob = LooseBlob::open(&repo.path().join("objects"), &id)
                .unwrap()
                .expect("loose");
            let mut read = Vec::new();
            let mut piece = vec![0u8; 4097];
            loop {
                let n = blob.read(&mut piece).unwrap();
                if n == 0 {
                    break;
                }
                read.extend_from_slice(&piece[..n]);
            }
            assert_eq!(read, data);
        }
        let objects = repo.path().join("objects");
        assert!(LooseBlob::open(&objects, &"0".repeat(40))
            .unwrap()
            .is_none());
        let tree = repo.treebuilder(None).unwrap().write().unwrap().to_string();
        assert!(
            LooseBlob::open(&objects, &tree).unwrap().is_none(),
            "not a blob"
        );
    }

    #[test]
    fn a_damaged_object_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let id = repo.blob(&[7u8; 100_000]).unwrap().to_string();
        let path = repo.path().join("objects").join(&id[..2]).join(&id[2..]);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() / 2);
        // Objects are read-only; a new file takes its place.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let mut blob = LooseBlob::open(&repo.path().join("objects"), &id)
            .unwrap()
            .expect("loose");
        assert!(std::io::copy(&mut blob, &mut std::io::sink()).is_err());
    }
}
