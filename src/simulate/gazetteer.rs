//! The county's own list of street offices and communities, as a civil
//! affairs bureau hands it to the 综治中心: names and what they belong to,
//! nothing about compounds, buildings or who lives where. The national
//! division data stops at street offices, and some of the simulated ones
//! are not in it.

use std::path::Path;

use super::city::SimCity;
use super::files::write_atomically;

/// `code,level,name,parent`, read by the resolver's gazetteer.
pub const GAZETTEER_FILE: &str = "gazetteer.csv";

/// National codes of the simulated districts (GB/T 2260).
const DISTRICT_CODES: &[&str] = &["410602", "410603", "410611"];

impl SimCity {
    pub fn write_gazetteer(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let places = &self.places;
        write_atomically(&dir.join(GAZETTEER_FILE), |f| {
            let mut w = csv::Writer::from_writer(f);
            w.write_record(["code", "level", "name", "parent"])?;
            for (i, s) in places.streets.iter().enumerate() {
                w.write_record([
                    format!("L{:03}", i + 1).as_str(),
                    "street",
                    &s.name,
                    DISTRICT_CODES[s.district as usize],
                ])?;
            }
            for (i, c) in places.communities.iter().enumerate() {
                w.write_record([
                    format!("L{:03}{:04}", c.street + 1, i + 1).as_str(),
                    "community",
                    &c.name,
                    format!("L{:03}", c.street + 1).as_str(),
                ])?;
            }
            w.flush()
        })
    }
}
