/*===- PlanFormat.h - the framing of a .plan file -----------------*- C -*-===*
 *
 * A plan file is this 24-byte header followed by the FlatBuffer of
 * schemas/plan.fbs. The header lets a reader refuse a foreign file, name the
 * version of a newer one, and catch a flipped byte anywhere (code included)
 * before parsing anything.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DLC_RUNTIME_ABI_PLANFORMAT_H
#define DLC_RUNTIME_ABI_PLANFORMAT_H

#include <stdint.h>

#define DLC_PLAN_MAGIC "DLCPLAN\0" /* 8 bytes */
#define DLC_PLAN_FORMAT_VERSION 1u
#define DLC_PLAN_HEADER_SIZE 24

/* Little-endian on disk:
 *   0  char[8]  magic
 *   8  uint32   format version
 *  12  uint32   zlib crc32 over bytes 8..11 (the version) then 24..end
 *  16  uint64   payload size (bytes after the header)
 */
typedef struct dlc_plan_header {
  char magic[8];
  uint32_t format_version;
  uint32_t crc32;
  uint64_t payload_size;
} dlc_plan_header;

#endif /* DLC_RUNTIME_ABI_PLANFORMAT_H */
