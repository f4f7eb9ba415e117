//! `check --output-format FORMAT=FILE`: more reports from the same run, each in its own file
//! (the Action writes annotations, SARIF and JSON with one `check`).

use super::CheckFormat;
use clap::ValueEnum;
use std::path::PathBuf;

/// One extra report: its format and the file it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    pub format: CheckFormat,
    pub file: PathBuf,
}

/// Parses `FORMAT=FILE` (clap's value parser for `--output-format`).
pub fn parse(arg: &str) -> Result<Extra, String> {
    let Some((format, file)) = arg.split_once('=') else {
        return Err(format!(
            "`{arg}` is not FORMAT=FILE (for example `sarif=results.sarif`)"
        ));
    };
    let format = CheckFormat::from_str(format, true).map_err(|_| {
        let known: Vec<String> = CheckFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!("`{format}` is not a format (one of {})", known.join(", "))
    })?;
    if file.is_empty() {
        return Err(format!("`{arg}` names no file after `=`"));
    }
    Ok(Extra {
        format,
        file: PathBuf::from(file),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_file() {
        assert_eq!(
            parse("sarif=out/r.sarif").unwrap(),
            Extra {
                format: CheckFormat::Sarif,
                file: PathBuf::from("out/r.sarif")
            }
        );
        // the file may itself hold `=`
        assert_eq!(
            parse("json=a=b.json").unwrap().file,
            PathBuf::from("a=b.json")
        );
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        assert!(parse("sarif").unwrap_err().contains("FORMAT=FILE"));
        assert!(parse("xml=a")
            .unwrap_err()
            .contains("one of human, json, sarif, github"));
        assert!(parse("json=").unwrap_err().contains("no file"));
    }
}
