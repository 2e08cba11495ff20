//! The place hierarchy of the simulated county and compact references to it.
//!
//! district (区) > street office (街道/镇/乡) > community (社区/村) > site
//! (小区, 家属院, a landmark, or a village group 组) > building (号楼, or a
//! village house 号) > room (单元 + 室). The urban core is a grid of named
//! roads; every block belongs to one community, every compound sits on one
//! of its block's roads with a door number (`华夏南路108号院`), and every road
//! crossing is a place of its own for 110 calls.

use rand::Rng;
use std::collections::HashSet;

use super::names::SURNAMES;
use super::seeds::{pick, pick_weighted};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Level {
    District = 0,
    Street = 1,
    Community = 2,
    Site = 3,
    Building = 4,
    Room = 5,
    Road = 6,
    Crossing = 7,
}

impl Level {
    pub(super) fn name(self) -> &'static str {
        match self {
            Level::District => "district",
            Level::Street => "street",
            Level::Community => "community",
            Level::Site => "site",
            Level::Building => "building",
            Level::Room => "room",
            Level::Road => "road",
            Level::Crossing => "crossing",
        }
    }

    fn from_u8(v: u8) -> Level {
        match v {
            0 => Level::District,
            1 => Level::Street,
            2 => Level::Community,
            3 => Level::Site,
            4 => Level::Building,
            5 => Level::Room,
            6 => Level::Road,
            _ => Level::Crossing,
        }
    }
}

/// A place at some level, packed in eight bytes: the level in the top byte,
/// an index below (a room packs building, unit, floor and position).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct PlaceRef(u64);

impl PlaceRef {
    pub(super) fn new(level: Level, index: u32) -> PlaceRef {
        PlaceRef(((level as u64) << 56) | index as u64)
    }

    pub(super) fn room(building: u32, unit: u8, floor: u8, pos: u8) -> PlaceRef {
        PlaceRef(
            ((Level::Room as u64) << 56)
                | ((building as u64) << 24)
                | ((unit as u64) << 16)
                | ((floor as u64) << 8)
                | pos as u64,
        )
    }

    pub(super) fn level(self) -> Level {
        Level::from_u8((self.0 >> 56) as u8)
    }

    /// The index for every level but Room.
    pub(super) fn index(self) -> u32 {
        self.0 as u32
    }

    /// (building, unit, floor, position) of a room.
    pub(super) fn room_parts(self) -> (u32, u8, u8, u8) {
        (
            ((self.0 >> 24) & 0xFFFF_FFFF) as u32,
            (self.0 >> 16) as u8,
            (self.0 >> 8) as u8,
            self.0 as u8,
        )
    }
}

pub(super) struct District {
    pub(super) name: &'static str,
    /// 淇滨 in `鹤壁淇滨…`.
    pub(super) short: &'static str,
    /// 淇滨分局
    pub(super) police: &'static str,
}

pub(super) struct Street {
    pub(super) district: u8,
    pub(super) name: String,
    pub(super) rural: bool,
    /// 淇滨分局九州路派出所
    pub(super) police_station: String,
    /// 淇滨区九州路街道办事处 / 淇滨区钜桥镇人民政府
    pub(super) office: String,
}

pub(super) struct Community {
    pub(super) street: u16,
    pub(super) name: String,
    pub(super) village: bool,
    pub(super) lon: f64,
    pub(super) lat: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SiteKind {
    /// A residential compound with a name (建业小区) and a door number.
    Compound,
    /// A work-unit family yard, mostly known by its door number (108号院).
    Yard,
    /// A hospital, school, market, construction site...: no homes.
    Landmark,
    /// A village group (3组); its buildings are village houses.
    VillageGroup,
}

pub(super) struct Site {
    pub(super) community: u32,
    pub(super) kind: SiteKind,
    pub(super) name: String,
    /// Road index and door number; road is u16::MAX for village groups.
    pub(super) road: u16,
    pub(super) number: u16,
    pub(super) lon: f64,
    pub(super) lat: f64,
    pub(super) first_building: u32,
    pub(super) n_buildings: u32,
}

pub(super) struct Building {
    pub(super) site: u32,
    /// 3 in 3号楼; for a village house its door number in the village.
    pub(super) no: u16,
    /// 0 for buildings without rooms (landmarks, village houses).
    pub(super) units: u8,
    pub(super) floors: u8,
    pub(super) per_floor: u8,
}

impl Building {
    pub(super) fn rooms(&self) -> u32 {
        self.units as u32 * self.floors as u32 * self.per_floor as u32
    }
}

pub(super) struct Road {
    pub(super) name: &'static str,
    pub(super) district: u8,
}

pub(super) struct Crossing {
    pub(super) a: u16,
    pub(super) b: u16,
    pub(super) lon: f64,
    pub(super) lat: f64,
    pub(super) community: u32,
}

pub(super) struct Places {
    pub(super) districts: Vec<District>,
    pub(super) streets: Vec<Street>,
    pub(super) communities: Vec<Community>,
    pub(super) sites: Vec<Site>,
    pub(super) buildings: Vec<Building>,
    pub(super) roads: Vec<Road>,
    pub(super) crossings: Vec<Crossing>,
}

/// The parents of a place, each present when the place lies inside one.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Ancestry {
    pub(super) room: Option<PlaceRef>,
    pub(super) building: Option<u32>,
    pub(super) site: Option<u32>,
    pub(super) community: Option<u32>,
    pub(super) street: Option<u16>,
    pub(super) district: Option<u8>,
}

const DISTRICTS: &[(&str, &str, &str)] = &[
    ("鹤山区", "鹤山", "鹤山分局"),
    ("山城区", "山城", "山城分局"),
    ("淇滨区", "淇滨", "淇滨分局"),
];
pub(super) const QIBIN: u8 = 2;

/// Street offices per district: (name, rural, short name for the police station).
const STREETS: &[(u8, &str, bool, &str)] = &[
    (0, "中山路街道", false, "中山路"),
    (0, "鹤山街街道", false, "鹤山街"),
    (0, "姬家山乡", true, "姬家山"),
    (1, "红旗街道", false, "红旗街"),
    (1, "汤河桥街道", false, "汤河桥"),
    (1, "鹿楼乡", true, "鹿楼"),
    (2, "九州路街道", false, "九州路"),
    (2, "黎阳路街道", false, "黎阳路"),
    (2, "长江路街道", false, "长江路"),
    (2, "金山街道", false, "金山"),
    (2, "渠河路街道", false, "渠河路"),
    (2, "天山路街道", false, "天山路"),
    (2, "华夏街道", false, "华夏"),
    (2, "钜桥镇", true, "钜桥"),
    (2, "大河涧乡", true, "大河涧"),
    (2, "上峪乡", true, "上峪"),
];

/// Rural street centres (lon, lat), same order as the rural entries above.
const RURAL_CENTRES: &[(f64, f64)] = &[
    (114.150, 35.985),
    (114.170, 35.905),
    (114.385, 35.660),
    (114.150, 35.735),
    (114.120, 35.765),
];

/// North-south roads, west to east, then east-west roads, north to south.
const NS_ROADS: &[&str] = &[
    "红旗街",
    "新华街",
    "山城路",
    "兴鹤大街",
    "华夏南路",
    "黎阳路",
    "泰山路",
    "嵩山路",
    "天山路",
    "庐山路",
    "衡山路",
    "太行路",
];
const EW_ROADS: &[&str] = &[
    "鹤山街",
    "朝歌路",
    "淇河路",
    "九州路",
    "淇滨大道",
    "黄河路",
    "长江路",
    "珠江路",
    "淮河路",
    "漓江路",
];

const GRID_LON0: f64 = 114.230;
const GRID_LAT0: f64 = 35.800;
const GRID_DLON: f64 = 0.0075;
const GRID_DLAT: f64 = 0.0060;

const COMMUNITY_STEMS: &[&str] = &[
    "华夏", "九州", "黎阳", "泰山", "金山", "湘江", "兴鹤", "淇滨", "天山", "长江", "朝阳", "裕隆",
    "福源", "建业", "明珠", "桃园", "樱花", "翠竹", "新华", "和平", "文昌", "阳光", "富康", "东方",
    "鹤翔", "嘉和", "银河", "春晖", "海河", "淮河", "漓江", "珠江", "黄河", "淇河", "世纪", "御河",
    "桂园", "紫荆", "牡丹", "华山", "嵩山", "太行",
];
const COMPASS: &[&str] = &["", "东", "西", "南", "北", "中"];
const COMPOUND_PREFIX: &[&str] = &[
    "建业", "华夏", "鹤源", "淇水", "朝歌", "泰和", "金山", "阳光", "幸福", "锦绣", "翠园", "银河",
    "东方", "御景", "书香", "明珠", "滨河", "盛世", "美景", "桂花", "世纪", "新城", "丽景", "湖畔",
    "兴鹤", "鹤祥", "昌盛", "和谐", "平安", "康乐", "紫金", "云梦", "青山", "天鹅", "水岸", "玉兰",
    "金色", "香樟", "翰林", "恒大",
];
const COMPOUND_SUFFIX: &[&str] = &[
    "小区", "花园", "家园", "苑", "新村", "公寓", "名门", "华府", "雅居", "佳苑", "城",
];
const YARD_UNITS: &[&str] = &[
    "鹤煤三矿",
    "鹤煤九矿",
    "市财政局",
    "市第一中学",
    "电业局",
    "市供销社",
    "市建筑公司",
    "市纺织厂",
    "市化肥厂",
    "市水利局",
    "市粮食局",
    "市邮电局",
    "区教育局",
    "市人民医院",
    "市机械厂",
    "市煤气公司",
    "市交通局",
    "市电厂",
];
const LANDMARKS: &[&str] = &[
    "鹤壁市人民医院",
    "鹤壁市中医院",
    "淇滨区人民医院",
    "鹤壁市妇幼保健院",
    "鹤壁市高级中学",
    "淇滨区实验小学",
    "鹤壁市外国语中学",
    "淇滨区第二小学",
    "鹤壁职业技术学院",
    "农贸市场",
    "淇滨百货大楼",
    "鹤壁商业广场",
    "淇滨区政务服务中心",
    "鹤壁市人民公园",
    "鹤壁东站",
    "淇滨区汽车站",
    "淇滨区第三中学",
    "鹤壁市图书馆",
];
const VILLAGE_SUFFIX: &[&str] = &[
    "庄", "营", "屯", "寨", "店", "岗", "湾", "窑", "沟", "坡", "集", "楼",
];

impl Places {
    /// Builds a county big enough for the given numbers of urban and rural
    /// households (homes are plentiful so households rarely share a room).
    pub(super) fn generate<R: Rng + ?Sized>(
        rng: &mut R,
        urban_households: usize,
        rural_households: usize,
    ) -> Places {
        let districts = DISTRICTS
            .iter()
            .map(|(n, s, p)| District {
                name: n,
                short: s,
                police: p,
            })
            .collect();
        let streets: Vec<Street> = STREETS
            .iter()
            .map(|(d, name, rural, short)| {
                let dname = DISTRICTS[*d as usize].0;
                Street {
                    district: *d,
                    name: name.to_string(),
                    rural: *rural,
                    police_station: format!("{}{}派出所", DISTRICTS[*d as usize].2, short),
                    office: if *rural {
                        format!("{dname}{name}人民政府")
                    } else {
                        format!("{dname}{name}办事处")
                    },
                }
            })
            .collect();
        let mut roads: Vec<Road> = Vec::new();
        let mut places = Places {
            districts,
            streets,
            communities: Vec::new(),
            sites: Vec::new(),
            buildings: Vec::new(),
            roads: Vec::new(),
            crossings: Vec::new(),
        };

        // Blocks of the urban grid and their districts.
        let (bx, by) = (NS_ROADS.len() - 1, EW_ROADS.len() - 1);
        let block_district = |c: usize, r: usize| -> u8 {
            if c < 5 && r < 3 {
                0
            } else if c < 5 && r < 5 {
                1
            } else {
                QIBIN
            }
        };
        // Urban streets of each district take its blocks in row order, in
        // runs; communities take one to three blocks of a street.
        let mut block_community = vec![u32::MAX; bx * by];
        let mut community_names: Vec<String> = COMPASS
            .iter()
            .flat_map(|c| COMMUNITY_STEMS.iter().map(move |s| format!("{s}{c}社区")))
            .collect();
        let mut used_names = HashSet::new();
        for d in 0..DISTRICTS.len() as u8 {
            let blocks: Vec<(usize, usize)> = (0..by)
                .flat_map(|r| (0..bx).map(move |c| (c, r)))
                .filter(|(c, r)| block_district(*c, *r) == d)
                .collect();
            let urban: Vec<u16> = STREETS
                .iter()
                .enumerate()
                .filter(|(_, s)| s.0 == d && !s.2)
                .map(|(i, _)| i as u16)
                .collect();
            let per_street = blocks.len().div_ceil(urban.len());
            for (si, chunk) in blocks.chunks(per_street).enumerate() {
                let street = urban[si.min(urban.len() - 1)];
                let mut i = 0;
                while i < chunk.len() {
                    let take = rng.random_range(1..=3).min(chunk.len() - i);
                    // Plain names first (华夏社区), then compass variants (华夏东社区).
                    let plain = community_names.len().min(COMMUNITY_STEMS.len()).max(1);
                    let name = if community_names.is_empty() {
                        format!("第{}社区", places.communities.len() + 1)
                    } else {
                        community_names.remove(rng.random_range(0..plain))
                    };
                    used_names.insert(name.clone());
                    let (c0, r0) = chunk[i];
                    let ci = places.communities.len() as u32;
                    places.communities.push(Community {
                        street,
                        name,
                        village: false,
                        lon: GRID_LON0 + (c0 as f64 + 0.5) * GRID_DLON,
                        lat: GRID_LAT0 - (r0 as f64 + 0.5) * GRID_DLAT,
                    });
                    for (c, r) in &chunk[i..i + take] {
                        block_community[r * bx + c] = ci;
                    }
                    i += take;
                }
            }
        }

        // Roads; a road belongs to the district of its middle block.
        for (i, name) in NS_ROADS.iter().enumerate() {
            roads.push(Road {
                name,
                district: block_district(i.min(bx - 1), by / 2),
            });
        }
        for (j, name) in EW_ROADS.iter().enumerate() {
            roads.push(Road {
                name,
                district: block_district(bx / 2, j.min(by - 1)),
            });
        }
        let mut next_number: Vec<u16> = (0..roads.len()).map(|_| rng.random_range(1..10)).collect();
        places.roads = roads;
        for i in 0..NS_ROADS.len() {
            for j in 0..EW_ROADS.len() {
                let block = j.min(by - 1) * bx + i.min(bx - 1);
                places.crossings.push(Crossing {
                    a: i as u16,
                    b: (NS_ROADS.len() + j) as u16,
                    lon: GRID_LON0 + i as f64 * GRID_DLON,
                    lat: GRID_LAT0 - j as f64 * GRID_DLAT,
                    community: block_community[block],
                });
            }
        }

        // Urban sites.
        let n_compounds = (urban_households / 250).max(80);
        let n_landmarks = LANDMARKS.len() + n_compounds / 25;
        let mut yards = YARD_UNITS.to_vec();
        for k in 0..n_compounds + n_landmarks {
            let (c, r) = (rng.random_range(0..bx), rng.random_range(0..by));
            let side = rng.random_range(0..4);
            let road = match side {
                0 => c,
                1 => c + 1,
                2 => NS_ROADS.len() + r,
                _ => NS_ROADS.len() + r + 1,
            } as u16;
            let number = next_number[road as usize];
            next_number[road as usize] = number + 2 * rng.random_range(1..6);
            let road_name = places.roads[road as usize].name;
            let (kind, name) = if k >= n_compounds {
                let li = k - n_compounds;
                let name = if li < LANDMARKS.len() {
                    if LANDMARKS[li] == "农贸市场" {
                        format!("{road_name}农贸市场")
                    } else {
                        LANDMARKS[li].to_string()
                    }
                } else {
                    let base = unique_name(rng, &mut used_names, |rng| {
                        format!(
                            "{}{}",
                            pick(rng, COMPOUND_PREFIX),
                            pick(rng, COMPOUND_SUFFIX)
                        )
                    });
                    format!("{base}项目工地")
                };
                (SiteKind::Landmark, name)
            } else if !yards.is_empty() && rng.random_bool(0.15) {
                let y = yards.remove(rng.random_range(0..yards.len()));
                (SiteKind::Yard, format!("{y}家属院"))
            } else {
                let name = unique_name(rng, &mut used_names, |rng| {
                    format!(
                        "{}{}",
                        pick(rng, COMPOUND_PREFIX),
                        pick(rng, COMPOUND_SUFFIX)
                    )
                });
                (SiteKind::Compound, name)
            };
            let n_buildings = match kind {
                SiteKind::Compound => rng.random_range(3..=14),
                SiteKind::Yard => rng.random_range(2..=6),
                _ => rng.random_range(1..=4),
            };
            let first_building = places.buildings.len() as u32;
            let site = places.sites.len() as u32;
            for no in 1..=n_buildings {
                let (units, floors, per_floor) = match kind {
                    SiteKind::Compound => (
                        [1u8, 2, 3, 4][pick_weighted(rng, &[2, 4, 3, 1])],
                        *pick(rng, &[6u8, 6, 6, 7, 11, 11, 18, 18, 26, 33]),
                        [2u8, 3, 4][pick_weighted(rng, &[6, 3, 1])],
                    ),
                    SiteKind::Yard => (rng.random_range(1..=3), rng.random_range(5..=7), 2),
                    _ => (0, 0, 0),
                };
                places.buildings.push(Building {
                    site,
                    no: no as u16,
                    units,
                    floors,
                    per_floor,
                });
            }
            places.sites.push(Site {
                community: block_community[r * bx + c],
                kind,
                name,
                road,
                number,
                lon: GRID_LON0 + (c as f64 + rng.random_range(0.1..0.9)) * GRID_DLON,
                lat: GRID_LAT0 - (r as f64 + rng.random_range(0.1..0.9)) * GRID_DLAT,
                first_building,
                n_buildings,
            });
        }

        // Villages, their groups and houses.
        let rural_streets: Vec<u16> = STREETS
            .iter()
            .enumerate()
            .filter(|(_, s)| s.2)
            .map(|(i, _)| i as u16)
            .collect();
        let n_villages = (rural_households / 200).max(12);
        let houses_per_village = (rural_households * 13 / 10 / n_villages) + 10;
        for v in 0..n_villages {
            let rs = rural_streets[v % rural_streets.len()];
            let (clon, clat) = RURAL_CENTRES[v % rural_streets.len()];
            let name = unique_name(rng, &mut used_names, |rng| {
                let s = SURNAMES[rng.random_range(0..40)].0;
                format!("{s}{}村", pick(rng, VILLAGE_SUFFIX))
            });
            let (vlon, vlat) = (
                clon + rng.random_range(-0.04..0.04),
                clat + rng.random_range(-0.04..0.04),
            );
            let community = places.communities.len() as u32;
            places.communities.push(Community {
                street: rs,
                name,
                village: true,
                lon: vlon,
                lat: vlat,
            });
            let groups = rng.random_range(3..=8usize);
            let mut house_no = 1u16;
            for g in 0..groups {
                let site = places.sites.len() as u32;
                let first_building = places.buildings.len() as u32;
                let n = houses_per_village / groups + 1;
                for _ in 0..n {
                    places.buildings.push(Building {
                        site,
                        no: house_no,
                        units: 0,
                        floors: 0,
                        per_floor: 0,
                    });
                    house_no += 1;
                }
                places.sites.push(Site {
                    community,
                    kind: SiteKind::VillageGroup,
                    name: format!("{}组", g + 1),
                    road: u16::MAX,
                    number: (g + 1) as u16,
                    lon: vlon + rng.random_range(-0.006..0.006),
                    lat: vlat + rng.random_range(-0.006..0.006),
                    first_building,
                    n_buildings: n as u32,
                });
            }
        }
        places
    }

    pub(super) fn ancestry(&self, p: PlaceRef) -> Ancestry {
        let mut a = Ancestry::default();
        let mut community = None;
        match p.level() {
            Level::Room => {
                let (b, ..) = p.room_parts();
                a.room = Some(p);
                a.building = Some(b);
            }
            Level::Building => a.building = Some(p.index()),
            Level::Site => a.site = Some(p.index()),
            Level::Community => community = Some(p.index()),
            Level::Street => a.street = Some(p.index() as u16),
            Level::District => a.district = Some(p.index() as u8),
            Level::Crossing => community = Some(self.crossings[p.index() as usize].community),
            Level::Road => a.district = Some(self.roads[p.index() as usize].district),
        }
        if let Some(b) = a.building {
            a.site = Some(self.buildings[b as usize].site);
        }
        if let Some(s) = a.site {
            community = Some(self.sites[s as usize].community);
        }
        if let Some(c) = community {
            a.community = Some(c);
            a.street = Some(self.communities[c as usize].street);
        }
        if let Some(s) = a.street {
            a.district = Some(self.streets[s as usize].district);
        }
        a
    }

    /// The truth id of a place: `R000123-2-501`, `B000123`, `S00012`, ...
    pub(super) fn entity_id(&self, p: PlaceRef) -> String {
        match p.level() {
            Level::Room => {
                let (b, unit, floor, pos) = p.room_parts();
                format!("R{b:06}-{unit}-{}", room_number(floor, pos))
            }
            Level::Building => format!("B{:06}", p.index()),
            Level::Site => format!("S{:05}", p.index()),
            Level::Community => format!("C{:04}", p.index()),
            Level::Street => format!("J{:03}", p.index()),
            Level::District => format!("D{:02}", p.index()),
            Level::Road => format!("L{:02}", p.index()),
            Level::Crossing => format!("X{:04}", p.index()),
        }
    }

    /// The coordinates of a place (WGS-84), when it has some.
    pub(super) fn coords(&self, p: PlaceRef) -> Option<(f64, f64)> {
        let a = self.ancestry(p);
        match p.level() {
            Level::Crossing => {
                let c = &self.crossings[p.index() as usize];
                Some((c.lon, c.lat))
            }
            Level::Road => {
                // The middle of the road.
                let i = p.index() as usize;
                if i < NS_ROADS.len() {
                    Some((
                        GRID_LON0 + i as f64 * GRID_DLON,
                        GRID_LAT0 - (EW_ROADS.len() as f64 / 2.0) * GRID_DLAT,
                    ))
                } else {
                    let j = i - NS_ROADS.len();
                    Some((
                        GRID_LON0 + (NS_ROADS.len() as f64 / 2.0) * GRID_DLON,
                        GRID_LAT0 - j as f64 * GRID_DLAT,
                    ))
                }
            }
            Level::District | Level::Street => None,
            Level::Community => {
                let c = &self.communities[p.index() as usize];
                Some((c.lon, c.lat))
            }
            _ => {
                let s = &self.sites[a.site? as usize];
                // Buildings spread a little around their site's centre.
                let jitter = a
                    .building
                    .map(|b| ((b % 7) as f64 - 3.0) * 0.0004)
                    .unwrap_or(0.0);
                Some((s.lon + jitter, s.lat - jitter * 0.8))
            }
        }
    }

    /// The place one level up from a room or building, for addresses that
    /// name less than the full home.
    pub(super) fn truncate(&self, p: PlaceRef, level: Level) -> PlaceRef {
        if p.level() <= level || p.level() > Level::Room {
            return p;
        }
        let a = self.ancestry(p);
        match level {
            Level::Building => PlaceRef::new(Level::Building, a.building.unwrap_or(0)),
            Level::Site => PlaceRef::new(Level::Site, a.site.unwrap_or(0)),
            Level::Community => PlaceRef::new(Level::Community, a.community.unwrap_or(0)),
            Level::Street => PlaceRef::new(Level::Street, a.street.unwrap_or(0) as u32),
            Level::District => PlaceRef::new(Level::District, a.district.unwrap_or(0) as u32),
            _ => p,
        }
    }
}

/// `501` for the first room on the fifth floor.
pub(super) fn room_number(floor: u8, pos: u8) -> u32 {
    floor as u32 * 100 + pos as u32
}

fn unique_name<R: Rng + ?Sized>(
    rng: &mut R,
    used: &mut HashSet<String>,
    mut make: impl FnMut(&mut R) -> String,
) -> String {
    for _ in 0..20 {
        let n = make(rng);
        if used.insert(n.clone()) {
            return n;
        }
    }
    // Names ran out: real cities number their phases (二期, 三期).
    let base = make(rng);
    let mut k = 2;
    loop {
        let n = format!("{base}{}期", super::text_noise::chinese_number(k));
        if used.insert(n.clone()) {
            return n;
        }
        k += 1;
    }
}
