/* OpenSSL from 8 threads at once: random bytes, SHA-256 and AES-256-GCM
 * through EVP, each thread with its own contexts (OpenSSL keeps per-thread
 * state in keys of its own).  Prints the digest of what every thread
 * computed from fixed inputs. */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { THREADS = 8, ROUNDS = 2000 };

static unsigned char digest[THREADS][32];

static void *work(void *arg)
{
	int n = (int)(long)arg;
	unsigned char key[32], iv[12], buf[64], out[80], rnd[16];
	int len;
	memset(key, n, sizeof key);
	memset(iv, n + 1, sizeof iv);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	for (int i = 0; i < ROUNDS; i++) {
		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
		memset(buf, i & 0xff, sizeof buf);
		EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv);
		EVP_EncryptUpdate(c, out, &len, buf, sizeof buf);
		EVP_DigestUpdate(md, out, (size_t)len);
		EVP_CIPHER_CTX_free(c);
		if (RAND_bytes(rnd, sizeof rnd) != 1)
			return "RAND_bytes failed";
	}
	EVP_DigestFinal_ex(md, digest[n], NULL);
	EVP_MD_CTX_free(md);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, work, (void *)i);
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		if (r) {
			puts(r);
			return 1;
		}
	}
	for (int i = 0; i < THREADS; i++) {
		for (int j = 0; j < 4; j++)
			printf("%02x", digest[i][j]);
		putchar(i + 1 < THREADS ? ' ' : '\n');
	}
	return 0;
}
