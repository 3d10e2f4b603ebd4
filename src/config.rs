//! placeholder until the config branch lands
#[derive(Clone)]
pub struct ApiKey(String);
impl ApiKey {
    pub fn new(s: String) -> Self {
        ApiKey(s)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}
impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}
