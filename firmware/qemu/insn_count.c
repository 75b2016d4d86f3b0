/* QEMU TCG plugin: counts executed guest instructions (instructions, not
 * cycles) with an inline add on every instruction, and reports the count
 * between marker addresses.
 *
 *   qemu-system-arm ... -plugin build/libmote_insn_count.so,begin=0x1f5,end=0x1fd
 *
 * Each time the instruction at `end` executes, prints to stderr
 *   mote-insns <instructions since the last execution of `begin`>
 * each time the instruction at `node` executes after its first execution,
 *   mote-node-insns <instructions since its previous execution>
 * (per-operator counts: the firmware calls MoteMarkNode between operators),
 * and at exit `mote-insns-total <all instructions>`. Addresses may carry the
 * Thumb bit (as nm prints function symbols); it is ignored. Without begin/end
 * only the total is printed. Single vCPU (the mps2/mps3 boards have one). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

MOTE_PLUGIN_EXPORT int qemu_plugin_version = MOTE_QEMU_PLUGIN_API_VERSION;

static uint64_t g_count;
static uint64_t g_start;
static uint64_t g_begin = UINT64_MAX, g_end = UINT64_MAX, g_node = UINT64_MAX;
static uint64_t g_node_last;
static int g_node_seen;

static void OnBegin(unsigned int vcpu, void* udata) {
  (void)vcpu;
  (void)udata;
  g_start = g_count;
}

static void OnEnd(unsigned int vcpu, void* udata) {
  (void)vcpu;
  (void)udata;
  fprintf(stderr, "mote-insns %" PRIu64 "\n", g_count - g_start);
}

static void OnNode(unsigned int vcpu, void* udata) {
  (void)vcpu;
  (void)udata;
  if (g_node_seen) fprintf(stderr, "mote-node-insns %" PRIu64 "\n", g_count - g_node_last);
  g_node_seen = 1;
  g_node_last = g_count;
}

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  const size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    const uint64_t pc = qemu_plugin_insn_vaddr(insn) & ~UINT64_C(1);
    /* The marker callbacks run before this instruction's own increment. */
    if (pc == g_begin) qemu_plugin_register_vcpu_insn_exec_cb(insn, OnBegin, QEMU_PLUGIN_CB_NO_REGS, NULL);
    if (pc == g_end) qemu_plugin_register_vcpu_insn_exec_cb(insn, OnEnd, QEMU_PLUGIN_CB_NO_REGS, NULL);
    if (pc == g_node) qemu_plugin_register_vcpu_insn_exec_cb(insn, OnNode, QEMU_PLUGIN_CB_NO_REGS, NULL);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &g_count, 1);
  }
}

static void OnExit(qemu_plugin_id_t id, void* udata) {
  (void)id;
  (void)udata;
  fprintf(stderr, "mote-insns-total %" PRIu64 "\n", g_count);
}

MOTE_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc,
                                           char** argv) {
  if (info->version.min > MOTE_QEMU_PLUGIN_API_VERSION ||
      info->version.cur < MOTE_QEMU_PLUGIN_API_VERSION) {
    fprintf(stderr, "mote_insn_count: QEMU plugin API %d..%d, built for %d\n",
            info->version.min, info->version.cur, MOTE_QEMU_PLUGIN_API_VERSION);
    return 1;
  }
  for (int i = 0; i < argc; ++i) {
    const char* eq = strchr(argv[i], '=');
    if (eq == NULL) {
      fprintf(stderr, "mote_insn_count: expected key=value, got '%s'\n", argv[i]);
      return 1;
    }
    const uint64_t v = strtoull(eq + 1, NULL, 0) & ~UINT64_C(1);
    if (strncmp(argv[i], "begin=", 6) == 0) {
      g_begin = v;
    } else if (strncmp(argv[i], "end=", 4) == 0) {
      g_end = v;
    } else if (strncmp(argv[i], "node=", 5) == 0) {
      g_node = v;
    } else {
      fprintf(stderr, "mote_insn_count: unknown argument '%s'\n", argv[i]);
      return 1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
