/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Batches: report new cards and card stickers in bulk.
 */
#define G_LOG_DOMAIN "co-batch-page"

#include "config.h"

#include "co-batch-page.h"

struct _CoBatchPage
{
  GtkWidget      parent_instance;

  /* Template widgets */
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (CoBatchPage, co_batch_page, GTK_TYPE_WIDGET)

static void
co_batch_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_BATCH_PAGE);

  G_OBJECT_CLASS (co_batch_page_parent_class)->dispose (object);
}

static void
co_batch_page_class_init (CoBatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_batch_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-batch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, status_page);
}

static void
co_batch_page_init (CoBatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
