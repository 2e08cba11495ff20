//! The administrative-division gazetteer: the national table of provinces,
//! cities, districts and street offices, plus the county's own streets and
//! communities, indexed by folded full name and by short name.

use super::AddressLevel;
use super::load::{self, GazetteerError, Row};
use super::names::{key, short_name};
use std::collections::HashMap;
use std::sync::LazyLock;

static NATIONAL_CSV: &str = include_str!("../../../data/divisions/national.csv");

static NATIONAL: LazyLock<Gazetteer> = LazyLock::new(|| {
    Gazetteer::from_csv(NATIONAL_CSV, None).expect("the embedded national divisions load")
});

pub(crate) type NodeId = u32;

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub code: String,
    pub level: AddressLevel,
    pub name: String,
    pub parent: Option<NodeId>,
}

/// Divisions by code and by name. Cheap to share (`national()` is built once);
/// `with_local` copies the national part, so build it once per county.
#[derive(Clone)]
pub struct Gazetteer {
    nodes: Vec<Node>,
    by_code: HashMap<String, NodeId>,
    full: HashMap<String, Vec<NodeId>>,
    short: HashMap<String, Vec<NodeId>>,
    max_key_bytes: usize,
    home_city: Option<NodeId>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("divisions", &self.nodes.len())
            .field("home_city", &self.home_city())
            .finish()
    }
}

impl Gazetteer {
    /// The embedded national data (provinces to street offices), no local list
    /// and no home city.
    pub fn national() -> &'static Gazetteer {
        &NATIONAL
    }

    /// Builds a gazetteer from a national CSV and an optional local one, both
    /// `code,level,name,parent`. Local rows are streets or communities whose
    /// parent is a national or local code; the home city is inferred from them
    /// when they all lie in one city.
    pub fn from_csv(national: &str, local: Option<&str>) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer {
            nodes: Vec::new(),
            by_code: HashMap::new(),
            full: HashMap::new(),
            short: HashMap::new(),
            max_key_bytes: 0,
            home_city: None,
        };
        let rows = load::read_rows(national, "national", load::NATIONAL_LEVELS)?;
        g.add_rows(rows, "national")?;
        match local {
            Some(local) => g.add_local(local),
            None => Ok(g),
        }
    }

    /// A copy of this gazetteer with the county's local streets and
    /// communities added.
    pub fn with_local(&self, local_csv: &str) -> Result<Gazetteer, GazetteerError> {
        self.clone().add_local(local_csv)
    }

    /// The same gazetteer preferring readings inside the city with this code
    /// (e.g. "4106") for ambiguous names.
    pub fn with_home_city(mut self, code: &str) -> Result<Gazetteer, GazetteerError> {
        match self.by_code.get(code) {
            Some(&id) if self.node(id).level == AddressLevel::City => {
                self.home_city = Some(id);
                Ok(self)
            }
            _ => Err(GazetteerError::HomeCity { code: code.into() }),
        }
    }

    /// The code of the city whose readings are preferred, if any.
    pub fn home_city(&self) -> Option<&str> {
        self.home_city.map(|id| self.node(id).code.as_str())
    }

    fn add_local(mut self, local: &str) -> Result<Gazetteer, GazetteerError> {
        let rows = load::read_rows(local, "local", load::LOCAL_LEVELS)?;
        let first_local = self.nodes.len();
        self.add_rows(rows, "local")?;
        let mut cities = self.nodes[first_local..]
            .iter()
            .filter_map(|n| n.parent)
            .filter_map(|p| self.ancestor_at(p, AddressLevel::City));
        if let Some(first) = cities.next()
            && cities.all(|c| c == first)
            && self.home_city.is_none()
        {
            self.home_city = Some(first);
        }
        Ok(self)
    }

    fn add_rows(&mut self, rows: Vec<Row>, file: &'static str) -> Result<(), GazetteerError> {
        let first = self.nodes.len();
        // Codes first, so that parents may come after their children.
        let mut kept = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(&id) = self.by_code.get(&row.code) {
                // A local file may repeat a national row verbatim.
                if (id as usize) < first && self.node(id).name == row.name {
                    continue;
                }
                return Err(GazetteerError::Duplicate {
                    file,
                    line: row.line,
                    code: row.code,
                });
            }
            let id = self.nodes.len() as NodeId;
            self.by_code.insert(row.code.clone(), id);
            self.nodes.push(Node {
                code: row.code.clone(),
                level: row.level,
                name: row.name.clone(),
                parent: None,
            });
            kept.push(row);
        }
        for (i, row) in kept.iter().enumerate() {
            let id = (first + i) as NodeId;
            let Some(code) = &row.parent else { continue };
            let &parent = self
                .by_code
                .get(code)
                .ok_or_else(|| GazetteerError::UnknownParent {
                    file,
                    line: row.line,
                    parent: code.clone(),
                })?;
            let parent_level = self.node(parent).level;
            if parent_level >= row.level {
                return Err(GazetteerError::ParentLevel {
                    file,
                    line: row.line,
                    level: row.level,
                    parent: code.clone(),
                    parent_level,
                });
            }
            self.nodes[id as usize].parent = Some(parent);
        }
        // Coarse levels first, so that a child of an alias is moved to the
        // aliased division before it is itself compared.
        let mut order: Vec<NodeId> = (first..self.nodes.len()).map(|i| i as NodeId).collect();
        order.sort_by_key(|&id| self.node(id).level);
        let mut alias: HashMap<NodeId, NodeId> = HashMap::new();
        for id in order {
            if let Some(p) = self.node(id).parent
                && let Some(&a) = alias.get(&p)
            {
                self.nodes[id as usize].parent = Some(a);
            }
            if let Some(existing) = self.index(id) {
                alias.insert(id, existing);
                self.by_code.insert(self.node(id).code.clone(), existing);
            }
        }
        Ok(())
    }

    /// Indexes one division by name; returns the division it repeats instead
    /// when one of the same level, name and parent is already indexed (a local
    /// file listing a national street office under its own code).
    fn index(&mut self, id: NodeId) -> Option<NodeId> {
        let node = &self.nodes[id as usize];
        let full = key(&node.name, node.level);
        let ids = self.full.entry(full.clone()).or_default();
        if let Some(&existing) = ids.iter().find(|&&o| {
            let o = &self.nodes[o as usize];
            o.level == node.level && o.parent == node.parent
        }) {
            return Some(existing);
        }
        ids.push(id);
        self.max_key_bytes = self.max_key_bytes.max(full.len());
        if let Some(short) = short_name(&full, node.level) {
            self.short.entry(short.to_string()).or_default().push(id);
        }
        None
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// Divisions whose folded full name is a prefix of `s`, longest first, as
    /// (length in bytes, candidates).
    pub(crate) fn full_prefixes<'a>(&'a self, s: &'a str) -> Vec<(usize, &'a [NodeId])> {
        prefixes(&self.full, s, self.max_key_bytes)
    }

    /// Same as `full_prefixes` for short names (鹤壁, 淇滨, 河南).
    pub(crate) fn short_prefixes<'a>(&'a self, s: &'a str) -> Vec<(usize, &'a [NodeId])> {
        prefixes(&self.short, s, self.max_key_bytes)
    }

    /// Communities whose folded name is `name` (already folded).
    pub(crate) fn communities(&self, name: &str) -> Vec<NodeId> {
        let ids = self.full.get(name).map(Vec::as_slice).unwrap_or_default();
        ids.iter()
            .copied()
            .filter(|&id| self.node(id).level == AddressLevel::Community)
            .collect()
    }

    pub(crate) fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.node(id).parent, |&p| self.node(p).parent)
    }

    /// `id` itself or its ancestor at `level`.
    pub(crate) fn ancestor_at(&self, id: NodeId, level: AddressLevel) -> Option<NodeId> {
        std::iter::once(id)
            .chain(self.ancestors(id))
            .find(|&a| self.node(a).level == level)
    }

    pub(crate) fn is_under(&self, id: NodeId, ancestor: NodeId) -> bool {
        self.ancestors(id).any(|a| a == ancestor)
    }

    pub(crate) fn in_home_city(&self, id: NodeId) -> bool {
        self.home_city
            .is_some_and(|city| id == city || self.is_under(id, city))
    }

    /// Whether `id` is the home city or one of its ancestors.
    pub(crate) fn contains_home_city(&self, id: NodeId) -> bool {
        self.home_city
            .is_some_and(|city| id == city || self.is_under(city, id))
    }

    #[cfg(test)]
    pub(crate) fn count(&self, level: AddressLevel) -> usize {
        self.nodes.iter().filter(|n| n.level == level).count()
    }

    #[cfg(test)]
    pub(crate) fn id_of(&self, code: &str) -> Option<NodeId> {
        self.by_code.get(code).copied()
    }

    #[cfg(test)]
    pub(crate) fn by_code(&self, code: &str) -> Option<&Node> {
        self.by_code.get(code).map(|&id| self.node(id))
    }
}

fn prefixes<'a>(
    map: &'a HashMap<String, Vec<NodeId>>,
    s: &str,
    max: usize,
) -> Vec<(usize, &'a [NodeId])> {
    let mut found: Vec<_> = s
        .char_indices()
        .skip(1)
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .take_while(|&i| i <= max)
        .filter_map(|i| map.get(&s[..i]).map(|ids| (i, ids.as_slice())))
        .collect();
    found.reverse();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_data_loads_with_henan_hebi_qibin() {
        let g = Gazetteer::national();
        assert!(g.count(AddressLevel::District) > 2800);
        assert!(g.count(AddressLevel::Street) > 40_000);
        assert_eq!(g.count(AddressLevel::Province), 31);
        let qibin = g.by_code("410611").unwrap();
        assert_eq!(
            (qibin.name.as_str(), qibin.level),
            ("淇滨区", AddressLevel::District)
        );
        let hebi = g.node(qibin.parent.unwrap());
        assert_eq!((hebi.code.as_str(), hebi.name.as_str()), ("4106", "鹤壁市"));
        let henan = g.node(hebi.parent.unwrap());
        assert_eq!((henan.code.as_str(), henan.name.as_str()), ("41", "河南省"));
        assert_eq!(g.home_city(), None);
    }

    #[test]
    fn municipalities_skip_the_placeholder_city() {
        let g = Gazetteer::national();
        let chaoyang = g.by_code("110105").unwrap();
        assert_eq!(g.node(chaoyang.parent.unwrap()).name, "北京市");
        assert!(g.by_code("1101").is_none());
    }

    #[test]
    fn local_rows_attach_and_set_the_home_city() {
        let local = "code,level,name,parent\n\
                     L1,street,渠河路街道,410611\n\
                     L2,community,华夏社区居委会,410611002\n\
                     L3,community,刘庄村委会,410611101\n\
                     L4,community,渠河社区,L1\n\
                     410611002,street,九州路街道,410611\n\
                     L5,street,九州路街道,410611\n\
                     L6,community,建业社区,L5\n";
        let g = Gazetteer::national().with_local(local).unwrap();
        assert_eq!(g.home_city(), Some("4106"));
        assert_eq!(g.communities("华夏社区").len(), 1);
        assert_eq!(g.communities("刘庄村").len(), 1);
        let quhe = g.by_code("L4").unwrap();
        assert_eq!(g.node(quhe.parent.unwrap()).name, "渠河路街道");
        // L5 repeats a national street office: its community hangs off that one.
        let jianye = g.by_code("L6").unwrap();
        assert_eq!(g.node(jianye.parent.unwrap()).code, "410611002");
    }

    #[test]
    fn builds_from_small_csv_texts() {
        let national = "code,level,name,parent\n\
                        41,province,河南省,\n\
                        4106,city,鹤壁市,41\n\
                        410611,district,淇滨区,4106\n";
        let local =
            "code,level,name,parent\nS1,street,九州路街道,410611\nC1,community,华夏社区,S1\n";
        let g = Gazetteer::from_csv(national, Some(local)).unwrap();
        assert_eq!(g.home_city(), Some("4106"));
        let p = g.parse("华夏社区建业小区");
        assert_eq!(
            p.canonical(),
            "河南省鹤壁市淇滨区九州路街道华夏社区建业小区"
        );
        let err = Gazetteer::from_csv("code,level,name,parent\n41,province\n", None).unwrap_err();
        assert!(matches!(err, GazetteerError::Csv { line: 2, .. }), "{err}");
    }

    #[test]
    fn local_errors_are_reported_with_lines() {
        let g = Gazetteer::national();
        let err = g
            .with_local("code,level,name,parent\nL1,community,刘庄村,NOPE\n")
            .unwrap_err();
        assert!(
            matches!(err, GazetteerError::UnknownParent { line: 2, .. }),
            "{err}"
        );
        let err = g
            .with_local("code,level,name,parent\nL1,street,某街道,L2\nL2,community,某村,410611\n")
            .unwrap_err();
        assert!(
            matches!(err, GazetteerError::ParentLevel { line: 2, .. }),
            "{err}"
        );
        let err = g
            .with_local("code,level,name,parent\nL1,community,甲村,410611101\nL1,community,乙村,410611101\n")
            .unwrap_err();
        assert!(
            matches!(err, GazetteerError::Duplicate { line: 3, .. }),
            "{err}"
        );
        assert!(g.clone().with_home_city("410611").is_err());
        assert_eq!(
            g.clone().with_home_city("4106").unwrap().home_city(),
            Some("4106")
        );
    }
}
