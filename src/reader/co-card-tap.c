/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-reader"

#include "config.h"

#include <string.h>

#include "co-card-tap.h"

/* ISO/IEC 14443-3: a UID has 4, 7 or 10 bytes. */
#define UID_MAX_LEN 10

struct _CoCardTap
{
  guint8      uid[UID_MAX_LEN];
  gsize       uid_len;
  char        uid_hex[2 * UID_MAX_LEN + 1];
  guint16     atqa;
  guint8      sak;
  CoChipType  chip_type;
  gint64      present_time;
  gint64      read_time;
};

G_DEFINE_ENUM_TYPE (CoChipType, co_chip_type,
  G_DEFINE_ENUM_VALUE (CO_CHIP_TYPE_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (CO_CHIP_TYPE_MIFARE_CLASSIC_1K, "mifare_classic_1k"),
  G_DEFINE_ENUM_VALUE (CO_CHIP_TYPE_MIFARE_CLASSIC_4K, "mifare_classic_4k"),
  G_DEFINE_ENUM_VALUE (CO_CHIP_TYPE_MIFARE_MINI, "mifare_mini"),
  G_DEFINE_ENUM_VALUE (CO_CHIP_TYPE_MIFARE_ULTRALIGHT, "mifare_ultralight"),
  G_DEFINE_ENUM_VALUE (CO_CHIP_TYPE_ISO14443_4, "iso14443_4"))

G_DEFINE_BOXED_TYPE (CoCardTap, co_card_tap, co_card_tap_ref, co_card_tap_unref)

/**
 * co_chip_type_from_answer:
 * @atqa: the ATQA, first byte sent in the high half (0x0004, 0x0044...)
 * @sak: the SAK
 *
 * Tells the kind of chip from its answer to selection (NXP AN10833).
 * A SmartMX CPU card that also emulates a MIFARE Classic (SAK 0x28, as on
 * many city cards) counts as a Classic, since that is how it is read.
 */
CoChipType
co_chip_type_from_answer (guint16 atqa,
                          guint8  sak)
{
  if (sak == 0x09)
    return CO_CHIP_TYPE_MIFARE_MINI;
  if ((sak & 0x18) == 0x18)
    return CO_CHIP_TYPE_MIFARE_CLASSIC_4K;
  if ((sak & 0x08) != 0)
    return CO_CHIP_TYPE_MIFARE_CLASSIC_1K;
  if ((sak & 0x20) != 0)
    return CO_CHIP_TYPE_ISO14443_4;
  if (sak == 0x00 && atqa == 0x0044)
    return CO_CHIP_TYPE_MIFARE_ULTRALIGHT;
  return CO_CHIP_TYPE_UNKNOWN;
}

/**
 * co_chip_type_to_string:
 *
 * Returns: the type's nick ("mifare_ultralight"), never %NULL
 */
const char *
co_chip_type_to_string (CoChipType type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (CO_TYPE_CHIP_TYPE);
  GEnumValue *value = g_enum_get_value (klass, type);

  return value != NULL ? value->value_nick : "unknown";
}

gboolean
co_chip_type_from_string (const char *nick,
                          CoChipType *type)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  g_return_val_if_fail (nick != NULL, FALSE);

  klass = g_type_class_ref (CO_TYPE_CHIP_TYPE);
  value = g_enum_get_value_by_nick (klass, nick);
  if (value == NULL)
    return FALSE;
  if (type != NULL)
    *type = value->value;
  return TRUE;
}

/**
 * co_card_tap_new:
 * @uid: the chip's UID
 * @uid_len: 4, 7 or 10
 * @present_time: g_get_monotonic_time() when the reader first saw the card
 * @read_time: g_get_monotonic_time() when the reader had read it
 */
CoCardTap *
co_card_tap_new (const guint8 *uid,
                 gsize         uid_len,
                 guint16       atqa,
                 guint8        sak,
                 gint64        present_time,
                 gint64        read_time)
{
  CoCardTap *self;

  g_return_val_if_fail (uid != NULL, NULL);
  g_return_val_if_fail (uid_len > 0 && uid_len <= UID_MAX_LEN, NULL);

  self = g_atomic_rc_box_new0 (CoCardTap);
  memcpy (self->uid, uid, uid_len);
  self->uid_len = uid_len;
  for (gsize i = 0; i < uid_len; i++)
    g_snprintf (self->uid_hex + 2 * i, 3, "%02X", uid[i]);
  self->atqa = atqa;
  self->sak = sak;
  self->chip_type = co_chip_type_from_answer (atqa, sak);
  self->present_time = present_time;
  self->read_time = read_time;
  return self;
}

CoCardTap *
co_card_tap_ref (CoCardTap *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
co_card_tap_unref (CoCardTap *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release (self);
}

/**
 * co_card_tap_get_uid:
 *
 * Returns: the UID in upper-case hex without separators ("04A1B2C3D4E5F6"),
 *   the form the roster and the API use
 */
const char *
co_card_tap_get_uid (const CoCardTap *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->uid_hex;
}

const guint8 *
co_card_tap_get_uid_bytes (const CoCardTap *self,
                           gsize           *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (len != NULL)
    *len = self->uid_len;
  return self->uid;
}

CoChipType
co_card_tap_get_chip_type (const CoCardTap *self)
{
  g_return_val_if_fail (self != NULL, CO_CHIP_TYPE_UNKNOWN);

  return self->chip_type;
}

guint16
co_card_tap_get_atqa (const CoCardTap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->atqa;
}

guint8
co_card_tap_get_sak (const CoCardTap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->sak;
}

/**
 * co_card_tap_get_present_time:
 *
 * Returns: the monotonic time (µs) at which the reader started the poll that
 *   found the card: the earliest moment the reader knew of it
 */
gint64
co_card_tap_get_present_time (const CoCardTap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->present_time;
}

/**
 * co_card_tap_get_read_time:
 *
 * Returns: the monotonic time (µs) at which the card had been read back
 *   (so it was really held on the reader, not brushed past it)
 */
gint64
co_card_tap_get_read_time (const CoCardTap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->read_time;
}
