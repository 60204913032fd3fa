/** internal */ package swap.fcm.mru.internal;
