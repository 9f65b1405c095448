// Shim for OpenSSL's libcrypto: streaming message digests (SHA-256, MD5) through the EVP API.
#ifndef MLWB_CCRYPTO_SHIM_H
#define MLWB_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
