/** internal */ package swap.console.internal;
