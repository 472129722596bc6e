#include "storage/sha256.h"

#include <openssl/evp.h>

namespace eventscope {

Sha256::Sha256()
    : m_ctx(EVP_MD_CTX_new())
{
    EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr);
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_ctx);
}

void Sha256::update(std::string_view bytes)
{
    EVP_DigestUpdate(m_ctx, bytes.data(), bytes.size());
}

std::string Sha256::hexDigest()
{
    static constexpr char hex[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EVP_DigestFinal_ex(m_ctx, digest, &length);
    std::string out(length * 2, '0');
    for (unsigned i = 0; i < length; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0x0F];
    }
    return out;
}

} // namespace eventscope
