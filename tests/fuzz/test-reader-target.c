/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * _co_reader_tap_from_target(), the pure part of the reader's worker that
 * the reader fuzz target drives: what libnfc answered to a poll becomes a
 * tap only when it is an ISO 14443-A target with a UID of 1 to 10 bytes.
 */
#define G_LOG_DOMAIN "test-reader-target"

#include "config.h"

#include <string.h>

#include "co-reader-private.h"

static nfc_target
target (nfc_modulation_type  nmt,
        const guint8        *uid,
        gsize                uid_len,
        guint16              atqa,
        guint8               sak)
{
  nfc_target nt;

  memset (&nt, 0, sizeof nt);
  nt.nm.nmt = nmt;
  nt.nm.nbr = NBR_106;
  nt.nti.nai.abtAtqa[0] = atqa >> 8;
  nt.nti.nai.abtAtqa[1] = atqa & 0xff;
  nt.nti.nai.btSak = sak;
  nt.nti.nai.szUidLen = uid_len;
  memcpy (nt.nti.nai.abtUid, uid, MIN (uid_len, sizeof nt.nti.nai.abtUid));
  return nt;
}

static void
test_accepted (void)
{
  static const guint8 uid[10] = { 0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x18, 0x29 };
  static const struct
  {
    gsize       len;
    guint16     atqa;
    guint8      sak;
    const char *hex;
    CoChipType  type;
  } cases[] = {
    { 4, 0x0004, 0x08, "04A1B2C3", CO_CHIP_TYPE_MIFARE_CLASSIC_1K },
    { 7, 0x0044, 0x00, "04A1B2C3D4E5F6", CO_CHIP_TYPE_MIFARE_ULTRALIGHT },
    { 7, 0x0344, 0x20, "04A1B2C3D4E5F6", CO_CHIP_TYPE_ISO14443_4 },
    { 10, 0x0044, 0x00, "04A1B2C3D4E5F6071829", CO_CHIP_TYPE_MIFARE_ULTRALIGHT },
    { 1, 0x0004, 0x09, "04", CO_CHIP_TYPE_MIFARE_MINI },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      nfc_target nt = target (NMT_ISO14443A, uid, cases[i].len, cases[i].atqa, cases[i].sak);
      g_autoptr(GError) error = NULL;
      g_autoptr(CoCardTap) tap = _co_reader_tap_from_target (&nt, 10, 20, &error);

      g_assert_no_error (error);
      g_assert_nonnull (tap);
      g_assert_cmpstr (co_card_tap_get_uid (tap), ==, cases[i].hex);
      g_assert_cmpint (co_card_tap_get_chip_type (tap), ==, cases[i].type);
      g_assert_cmpuint (co_card_tap_get_atqa (tap), ==, cases[i].atqa);
      g_assert_cmpint (co_card_tap_get_present_time (tap), ==, 10);
      g_assert_cmpint (co_card_tap_get_read_time (tap), ==, 20);
    }
}

static void
test_refused (void)
{
  static const guint8 uid[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
  static const struct
  {
    nfc_modulation_type nmt;
    gsize               len;
  } cases[] = {
    { NMT_ISO14443A, 0 },       /* no UID */
    { NMT_ISO14443A, 11 },      /* longer than a UID can be */
    { NMT_ISO14443A, 255 },
    { NMT_ISO14443A, G_MAXSIZE },
    { NMT_FELICA, 4 },          /* not what was polled for */
    { 0, 4 },                   /* an uninitialised answer */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      nfc_target nt = target (cases[i].nmt, uid, cases[i].len, 0x0004, 0x08);
      g_autoptr(GError) error = NULL;
      g_autoptr(CoCardTap) tap = _co_reader_tap_from_target (&nt, 0, 0, &error);

      g_assert_null (tap);
      g_assert_error (error, CO_CARD_ERROR, CO_CARD_ERROR_IO);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reader-target/accepted", test_accepted);
  g_test_add_func ("/reader-target/refused", test_refused);

  return g_test_run ();
}
