//! Writing the built site's files (the build and `publish`): a file whose content is
//! already what it would be is left as it is, time and all, so republishing the content
//! compresses again only the pages that changed (`precompress` skips files older than their
//! compressed copies).

use std::io;
use std::path::Path;

/// Writes `contents` to `path` unless the file already holds exactly that; says whether it
/// wrote. Creates the folder it goes in.
pub fn write_if_changed(path: &Path, contents: impl AsRef<[u8]>) -> io::Result<bool> {
    let contents = contents.as_ref();
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_content_leaves_the_file_and_its_time_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/index.html");
        assert!(write_if_changed(&file, "one").unwrap());
        let then =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(then)
            .unwrap();
        assert!(!write_if_changed(&file, "one").unwrap());
        assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), then);
        assert!(write_if_changed(&file, "two").unwrap());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two");
    }
}
