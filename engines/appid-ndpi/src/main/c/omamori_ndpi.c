/*
 * The JNI shim between org.omamori.engine.appid.ndpi.NdpiNative and nDPI 4.2 (libndpi.so.4.2).
 *
 * nDPI is opened with dlopen at run time, not linked: the shim builds with gcc and the JDK's
 * jni.h alone (no libndpi-dev), and a machine without libndpi loads the shim fine and learns
 * why from open(), instead of an UnsatisfiedLinkError at class loading. The few nDPI types
 * used are declared here as nDPI 4.2's ndpi_typedefs.h has them; open() refuses another API.
 *
 * One handle = one detection module + one flow buffer, used by one thread at a time (the Java
 * pool guarantees it): nDPI's module keeps caches that detection writes to.
 */
#include <jni.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* nDPI 4.2, ndpi_typedefs.h: struct ndpi_proto. */
typedef struct {
    uint16_t master_protocol, app_protocol;
    int32_t category; /* ndpi_protocol_category_t, an enum */
} ndpi_protocol;

/* NDPI_PROTOCOL_BITMASK: NDPI_NUM_BITS (512) bits in 32-bit words. */
typedef struct { uint32_t fds_bits[512 / 32]; } ndpi_bitmask;

#define NDPI_42_API_VERSION 8668

static void *(*p_init)(uint32_t prefs);
static void (*p_finalize)(void *mod);
static void (*p_set_bitmask)(void *mod, const ndpi_bitmask *mask);
static ndpi_protocol (*p_process)(void *mod, void *flow, const unsigned char *pkt, unsigned short len, uint64_t ms);
static ndpi_protocol (*p_giveup)(void *mod, void *flow, uint8_t guess, uint8_t *guessed);
static char *(*p_proto_name)(void *mod, uint16_t id);
static const char *(*p_category_name)(void *mod, int32_t category);
static uint32_t (*p_flow_size)(void);
static void (*p_exit)(void *mod);
static void (*p_free_flow_data)(void *flow);
static uint16_t (*p_api_version)(void);
static char *(*p_revision)(void);
static int (*p_load_protocols)(void *mod, const char *path);
static int opened;

#define MAX_PACKET 65535

typedef struct {
    void *module;
    void *flow;
    uint32_t flow_size;
    unsigned char packet[MAX_PACKET];
} handle_t;

#define LOOKUP(ptr, name) do { *(void **) (&ptr) = dlsym(lib, name); \
    if (ptr == NULL) return (*env)->NewStringUTF(env, "libndpi lacks " name); } while (0)

JNIEXPORT jstring JNICALL Java_org_omamori_engine_appid_ndpi_NdpiNative_open(JNIEnv *env, jclass cls, jstring path) {
    if (opened) return NULL;
    const char *file = (*env)->GetStringUTFChars(env, path, NULL);
    if (file == NULL) return (*env)->NewStringUTF(env, "out of memory");
    /* RTLD_LOCAL: nDPI's symbols stay out of the process's global namespace. Never dlclosed. */
    void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    (*env)->ReleaseStringUTFChars(env, path, file);
    if (lib == NULL) {
        const char *why = dlerror();
        return (*env)->NewStringUTF(env, why == NULL ? "dlopen failed" : why);
    }
    LOOKUP(p_api_version, "ndpi_get_api_version");
    if (p_api_version() != NDPI_42_API_VERSION) return (*env)->NewStringUTF(env, "libndpi is not nDPI 4.2 (API version differs)");
    LOOKUP(p_init, "ndpi_init_detection_module");
    LOOKUP(p_finalize, "ndpi_finalize_initialization");
    LOOKUP(p_set_bitmask, "ndpi_set_protocol_detection_bitmask2");
    LOOKUP(p_process, "ndpi_detection_process_packet");
    LOOKUP(p_giveup, "ndpi_detection_giveup");
    LOOKUP(p_proto_name, "ndpi_get_proto_name");
    LOOKUP(p_category_name, "ndpi_category_get_name");
    LOOKUP(p_flow_size, "ndpi_detection_get_sizeof_ndpi_flow_struct");
    LOOKUP(p_exit, "ndpi_exit_detection_module");
    LOOKUP(p_free_flow_data, "ndpi_free_flow_data");
    LOOKUP(p_revision, "ndpi_revision");
    LOOKUP(p_load_protocols, "ndpi_load_protocols_file");
    opened = 1;
    return NULL;
}

JNIEXPORT jstring JNICALL Java_org_omamori_engine_appid_ndpi_NdpiNative_revision(JNIEnv *env, jclass cls) {
    return opened ? (*env)->NewStringUTF(env, p_revision()) : NULL;
}

/* protocols: a file of extra host rules in nDPI's protocols-file syntax, or null. */
JNIEXPORT jlong JNICALL Java_org_omamori_engine_appid_ndpi_NdpiNative_newModule(JNIEnv *env, jclass cls, jstring protocols) {
    if (!opened) return 0;
    handle_t *h = calloc(1, sizeof(handle_t));
    if (h == NULL) return 0;
    h->module = p_init(0);
    if (h->module == NULL) { free(h); return 0; }
    ndpi_bitmask all;
    memset(&all, 0xff, sizeof all);
    p_set_bitmask(h->module, &all);
    if (protocols != NULL) {
        const char *file = (*env)->GetStringUTFChars(env, protocols, NULL);
        int loaded = file == NULL ? -1 : p_load_protocols(h->module, file);
        if (file != NULL) (*env)->ReleaseStringUTFChars(env, protocols, file);
        if (loaded < 0) { p_exit(h->module); free(h); return 0; }
    }
    p_finalize(h->module);
    h->flow_size = p_flow_size();
    h->flow = calloc(1, h->flow_size);
    if (h->flow == NULL) { p_exit(h->module); free(h); return 0; }
    return (jlong) (intptr_t) h;
}

JNIEXPORT void JNICALL Java_org_omamori_engine_appid_ndpi_NdpiNative_freeModule(JNIEnv *env, jclass cls, jlong ptr) {
    handle_t *h = (handle_t *) (intptr_t) ptr;
    if (h == NULL) return;
    p_exit(h->module);
    free(h->flow);
    free(h);
}

/*
 * Runs one fresh flow over the packets (IPv4, concatenated in data; lengths[i] each) and writes
 * master, app, category and whether nDPI only gave up into out[0..3]. Returns the number of
 * packets processed, or -1 on bad arguments. Stops early once an application is known.
 */
JNIEXPORT jint JNICALL Java_org_omamori_engine_appid_ndpi_NdpiNative_identify(JNIEnv *env, jclass cls, jlong ptr,
        jbyteArray data, jintArray lengths, jint count, jlong time_ms, jintArray out) {
    handle_t *h = (handle_t *) (intptr_t) ptr;
    if (h == NULL || count < 0 || count > 16 || (*env)->GetArrayLength(env, out) < 4
            || (*env)->GetArrayLength(env, lengths) < count) return -1;
    jint lens[16];
    (*env)->GetIntArrayRegion(env, lengths, 0, count, lens);
    jsize size = (*env)->GetArrayLength(env, data);
    memset(h->flow, 0, h->flow_size);
    ndpi_protocol p = { 0, 0, 0 };
    jint offset = 0, done = 0, gaveup = 0;
    for (jint i = 0; i < count; i++) {
        jint len = lens[i];
        if (len < 20 || len > MAX_PACKET || offset > size - len) break;
        (*env)->GetByteArrayRegion(env, data, offset, len, (jbyte *) h->packet);
        offset += len;
        p = p_process(h->module, h->flow, h->packet, (unsigned short) len, (uint64_t) time_ms + (uint64_t) i);
        done++;
        if (p.app_protocol != 0) break;
    }
    if (p.app_protocol == 0 && p.master_protocol == 0) {
        uint8_t guessed = 0;
        p = p_giveup(h->module, h->flow, 0, &guessed);
        gaveup = 1;
    }
    p_free_flow_data(h->flow);
    jint result[4] = { p.master_protocol, p.app_protocol, p.category, gaveup };
    (*env)->SetIntArrayRegion(env, out, 0, 4, result);
    return done;
}

JNIEXPORT jstring JNICALL Java_org_omamori_engine_appid_ndpi_NdpiNative_protocolName(JNIEnv *env, jclass cls, jlong ptr, jint id) {
    handle_t *h = (handle_t *) (intptr_t) ptr;
    if (h == NULL || id < 0 || id > 0xffff) return NULL;
    char *name = p_proto_name(h->module, (uint16_t) id);
    return name == NULL ? NULL : (*env)->NewStringUTF(env, name);
}

JNIEXPORT jstring JNICALL Java_org_omamori_engine_appid_ndpi_NdpiNative_categoryName(JNIEnv *env, jclass cls, jlong ptr, jint category) {
    handle_t *h = (handle_t *) (intptr_t) ptr;
    if (h == NULL) return NULL;
    const char *name = p_category_name(h->module, category);
    return name == NULL ? NULL : (*env)->NewStringUTF(env, name);
}
