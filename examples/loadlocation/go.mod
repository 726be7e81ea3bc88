module example.com/slimstage/loadlocation

go 1.21
