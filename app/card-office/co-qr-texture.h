/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * A QR code as a texture, drawn by the print core's encoder (co-qr.c), so
 * the screen shows the same code as the printed card.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* NULL when @text cannot be encoded (empty or too long). */
GdkTexture *co_qr_texture_new (const char *text,
                               int         pixels);

G_END_DECLS
