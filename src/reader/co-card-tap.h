/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoCardTap: one card presented to the reader, as CoReader saw it: the
 * chip's UID, what kind of chip it is, and when it was seen and read.
 * Immutable and reference counted, so it can travel from the reader's
 * thread to the main context and on to whoever handles the tap.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The kind of chip, told from its ISO 14443-A answer (ATQA and SAK). The
 * nicks are what `card-office-batch reader` prints after `type=`. */
typedef enum
{
  CO_CHIP_TYPE_UNKNOWN,            /* nick unknown */
  CO_CHIP_TYPE_MIFARE_CLASSIC_1K,  /* nick mifare_classic_1k */
  CO_CHIP_TYPE_MIFARE_CLASSIC_4K,  /* nick mifare_classic_4k */
  CO_CHIP_TYPE_MIFARE_MINI,        /* nick mifare_mini */
  CO_CHIP_TYPE_MIFARE_ULTRALIGHT,  /* nick mifare_ultralight (also NTAG) */
  CO_CHIP_TYPE_ISO14443_4,         /* nick iso14443_4: a CPU card (DESFire, JCOP...) */
} CoChipType;

#define CO_TYPE_CHIP_TYPE (co_chip_type_get_type ())
GType       co_chip_type_get_type    (void) G_GNUC_CONST;

CoChipType  co_chip_type_from_answer (guint16     atqa,
                                      guint8      sak);
const char *co_chip_type_to_string   (CoChipType  type);
gboolean    co_chip_type_from_string (const char *nick,
                                      CoChipType *type);

typedef struct _CoCardTap CoCardTap;

#define CO_TYPE_CARD_TAP (co_card_tap_get_type ())
GType         co_card_tap_get_type         (void) G_GNUC_CONST;

CoCardTap    *co_card_tap_new              (const guint8 *uid,
                                            gsize         uid_len,
                                            guint16       atqa,
                                            guint8        sak,
                                            gint64        present_time,
                                            gint64        read_time);
CoCardTap    *co_card_tap_ref              (CoCardTap    *self);
void          co_card_tap_unref            (CoCardTap    *self);

const char   *co_card_tap_get_uid          (const CoCardTap *self);
const guint8 *co_card_tap_get_uid_bytes    (const CoCardTap *self,
                                            gsize           *len);
CoChipType    co_card_tap_get_chip_type    (const CoCardTap *self);
guint16       co_card_tap_get_atqa         (const CoCardTap *self);
guint8        co_card_tap_get_sak          (const CoCardTap *self);
gint64        co_card_tap_get_present_time (const CoCardTap *self);
gint64        co_card_tap_get_read_time    (const CoCardTap *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoCardTap, co_card_tap_unref)

G_END_DECLS
