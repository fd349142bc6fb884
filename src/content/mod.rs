//! Reading and checking content: files → raw structs → the resolved site model.

pub mod bounds;
pub mod cycles;
pub mod learnings;
pub mod load;
pub mod metric_csv;
pub mod placeholders;
pub mod raw;
pub mod read;
pub mod resolve;
pub mod retro;
pub mod shapes;
pub mod yaml;
pub mod yaml_index;
