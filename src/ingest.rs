//! Reading a cache folder (never writing it).
