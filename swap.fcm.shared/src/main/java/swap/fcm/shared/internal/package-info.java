/** internal */ package swap.fcm.shared.internal;
