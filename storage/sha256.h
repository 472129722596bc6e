#pragma once
// Incremental SHA-256 through OpenSSL (SHA-NI or AVX2 where the CPU has them): the seal digest, and the digest of
// every export written beside it as FILE.sha256.

#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace eventscope {

class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    // Lowercase hex of the digest; ends the hash (call once).
    std::string hexDigest();

private:
    evp_md_ctx_st* m_ctx;
};

} // namespace eventscope
