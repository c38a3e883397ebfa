/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Fuzz target: what libnfc hands the reader's worker after a poll (an
 * nfc_target), through _co_reader_tap_from_target() and the tap's getters.
 *
 * Input layout (seeds in tests/fuzz/reader/): byte 0 the modulation type,
 * byte 1 the baud rate, bytes 2-3 the ATQA, byte 4 the SAK, byte 5 the UID
 * length as libnfc reports it (any value, also above 10), then up to 10
 * UID bytes, then the ATS length and up to 254 ATS bytes. Missing bytes
 * are zero.
 */
#define G_LOG_DOMAIN "fuzz-reader"

#include "config.h"

#include <string.h>

#include "co-reader-private.h"

#include "fuzz-common.h"

static guint8
take (const uint8_t **data,
      size_t         *size)
{
  guint8 b = 0;

  if (*size > 0)
    {
      b = **data;
      (*data)++;
      (*size)--;
    }
  return b;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CoCardTap) tap = NULL;
  g_autoptr(GError) error = NULL;
  nfc_target nt;
  gsize uid_len;
  const guint8 *uid;

  fuzz_setup ();
  memset (&nt, 0, sizeof nt);
  nt.nm.nmt = (nfc_modulation_type) take (&data, &size);
  nt.nm.nbr = (nfc_baud_rate) take (&data, &size);
  nt.nti.nai.abtAtqa[0] = take (&data, &size);
  nt.nti.nai.abtAtqa[1] = take (&data, &size);
  nt.nti.nai.btSak = take (&data, &size);
  nt.nti.nai.szUidLen = take (&data, &size);
  for (gsize i = 0; i < sizeof nt.nti.nai.abtUid; i++)
    nt.nti.nai.abtUid[i] = take (&data, &size);
  nt.nti.nai.szAtsLen = take (&data, &size);
  for (gsize i = 0; i < sizeof nt.nti.nai.abtAts && size > 0; i++)
    nt.nti.nai.abtAts[i] = take (&data, &size);

  tap = _co_reader_tap_from_target (&nt, 1, 2, &error);
  g_assert ((tap != NULL) != (error != NULL));
  if (tap == NULL)
    return 0;

  g_assert_cmpuint (strlen (co_card_tap_get_uid (tap)), ==, 2 * nt.nti.nai.szUidLen);
  uid = co_card_tap_get_uid_bytes (tap, &uid_len);
  g_assert_cmpuint (uid_len, ==, nt.nti.nai.szUidLen);
  g_assert (memcmp (uid, nt.nti.nai.abtUid, uid_len) == 0);
  g_assert (co_chip_type_to_string (co_card_tap_get_chip_type (tap)) != NULL);
  (void) co_card_tap_get_atqa (tap);
  (void) co_card_tap_get_sak (tap);
  g_assert_cmpint (co_card_tap_get_present_time (tap), ==, 1);
  g_assert_cmpint (co_card_tap_get_read_time (tap), ==, 2);
  return 0;
}
