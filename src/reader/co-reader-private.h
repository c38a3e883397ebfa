/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoReader internals the tests reach.
 */
#pragma once

#include <nfc/nfc-types.h>

#include "co-reader.h"

G_BEGIN_DECLS

/* Why a USB reader cannot be opened, read from sysfs and procfs (roots
 * given so tests can use a fake tree): a known reader whose interface is
 * bound to the pn533 kernel module, or claimed through usbfs while pcscd
 * runs, is READER_BUSY; a known reader nobody holds is PERMISSION_DENIED
 * (libnfc could not open it: udev rules); none plugged in is NO_READER. */
void _co_reader_diagnose_usb (const char  *connstring,
                              const char  *sys_root,
                              const char  *proc_root,
                              GError     **error);

/* libnfc's answer to a poll as a tap: NULL and CO_CARD_ERROR_IO when it is
 * not an ISO 14443-A target with a UID of 1 to 10 bytes. */
CoCardTap *_co_reader_tap_from_target (const nfc_target  *nt,
                                       gint64             present_time,
                                       gint64             read_time,
                                       GError           **error);

G_END_DECLS
