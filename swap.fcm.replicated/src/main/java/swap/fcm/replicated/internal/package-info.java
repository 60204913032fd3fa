/** internal */ package swap.fcm.replicated.internal;
